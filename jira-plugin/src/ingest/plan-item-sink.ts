import type { Action, DeptGoal, IngestItemResult, IngestPerson } from '@cxplan/core';

/** A department goal or action from the extension, to be written to Jira as an epic or child issue. */
export type PlanItem =
  | { clientId: string; kind: 'deptGoal'; goal: DeptGoal }
  | { clientId: string; kind: 'action'; action: Action };

/**
 * Where goals and actions go: the Jira sync (mapping + planner + client). Returns one result per item; an item
 * missing from the map is answered as retryable by the handler. The sink keeps to its own time budget (the
 * web trigger has 55 s).
 */
export interface PlanItemSink {
  /** `people` are the batch's people: the extension's person ids of owners, with their Jira accounts. */
  apply(items: readonly PlanItem[], people?: readonly IngestPerson[]): Promise<Map<string, IngestItemResult>>;
}
