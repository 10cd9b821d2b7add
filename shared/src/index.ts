/**
 * @cxplan/core — the domain core of cxplan: model and schemas, process rules, analytics and the Jira mapping.
 * Pure TypeScript: functions from data to data, no I/O; the extension and the Jira app both call it.
 */

export * from './analytics/index';
export * from './io/backup';
export * from './io/clean-url';
export * from './io/csv-import';
export * from './io/csv-sample';
export * from './io/import-ids';
export * from './io/import-preview';
export * from './io/parse';
export * from './io/survey-analysis';
export * from './io/survey-dates';
export * from './io/survey-layouts';
export * from './io/text-encoding';
export * from './io/web-annotation';
export * from './jira/index';
export * from './jira-verification/index';
export * from './model/index';
export * from './process/index';
export * from './team-sync/index';
export * from './verification/index';
