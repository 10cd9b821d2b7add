export * from './jira-expression';
export * from './reject-reason';
export * from './verification-accounts';
export * from './verify-expressions';
export * from './workflow-check';
export * from './workflow-spec';
