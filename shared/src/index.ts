/**
 * @cxplan/core — the domain core of cxplan: model and schemas, process rules, analytics and the Jira mapping.
 * Pure TypeScript: functions from data to data, no I/O; the extension and the Jira app both call it.
 */
export * from './io/parse';
export * from './model/index';
export * from './jira/index';
export * from './verification/index';
export * from './ingest/index';
export * from './jira-verification/index';
export * from './io/backup';
export * from './io/web-annotation';
export * from './process/index';
