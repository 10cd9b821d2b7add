export * from './adf';
export * from './apply-pulls';
export * from './canonical-json';
export * from './jira-issue';
export * from './jira-responses';
export * from './plan-slice';
export * from './status-category';
export * from './sync-plan';
