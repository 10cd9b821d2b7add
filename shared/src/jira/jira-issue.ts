import * as v from 'valibot';
import { VerificationAccountsSchema } from '../jira-verification/verification-accounts';
import { IdSchema } from '../model/common';
import { SuccessMetricSchema } from '../model/metric';
import { VerificationEventSchema, VerificationStateSchema } from '../model/verification-state';

/** The label every cxplan issue carries, so people (and JQL) can find them. */
export const CXPLAN_LABEL = 'cxplan';
/**
 * The label on an issue whose goal or action was deleted (or dropped) in cxplan: Jira keeps the issue and its
 * history, closed, and JQL finds it (`labels = cxplan-deleted`).
 */
export const CXPLAN_DELETED_LABEL = 'cxplan-deleted';
/** Issue property on an epic holding the department goal's core id, metric, links and verification record. */
export const GOAL_PROPERTY = 'cxplan.goal';
/** Issue property on a child issue holding the action's core id. */
export const ACTION_PROPERTY = 'cxplan.action';

/** Jira's three status categories; every workflow status belongs to one. */
export const StatusCategorySchema = v.picklist(
  ['new', 'indeterminate', 'done'],
  'must be new, indeterminate or done',
);
/** A Jira status category key. */
export type StatusCategory = v.InferOutput<typeof StatusCategorySchema>;

/**
 * What the last successful sync agreed on, stored inside the property: the base of the three-way comparison
 * that tells a Jira edit from a cxplan edit (and both from a conflict).
 */
export const SyncedBaseSchema = v.object({
  summary: v.string(),
  /** Hash of the description cxplan last wrote. */
  description: v.string(),
  statusCategory: v.optional(StatusCategorySchema),
  /** Hash of the verification state and history both sides agreed on (goals only). */
  verification: v.optional(v.string()),
});
/** The agreed values of the last sync. */
export type SyncedBase = v.InferOutput<typeof SyncedBaseSchema>;

/**
 * Value of the `cxplan.goal` property. Loose: keys written by other parts of the app (the workflow post
 * functions) are kept when the sync rewrites it.
 */
export const GoalPropertySchema = v.looseObject({
  v: v.literal(1),
  id: IdSchema,
  cycleId: IdSchema,
  departmentId: IdSchema,
  orgGoalId: v.optional(IdSchema),
  businessObjectiveId: v.optional(IdSchema),
  metric: v.optional(SuccessMetricSchema),
  verification: VerificationStateSchema,
  verificationHistory: v.array(VerificationEventSchema),
  /** Atlassian accounts recorded at submission, read by the workflow condition and validators. */
  accounts: v.optional(VerificationAccountsSchema),
  synced: SyncedBaseSchema,
});
/** Value of the `cxplan.goal` property. */
export type GoalProperty = v.InferOutput<typeof GoalPropertySchema>;

/** Value of the `cxplan.action` property (loose, like the goal's). */
export const ActionPropertySchema = v.looseObject({
  v: v.literal(1),
  id: IdSchema,
  cycleId: IdSchema,
  goalId: IdSchema,
  synced: SyncedBaseSchema,
});
/** Value of the `cxplan.action` property. */
export type ActionProperty = v.InferOutput<typeof ActionPropertySchema>;

/** An issue as the sync reads it back from `/rest/api/3/search/jql` (fields and properties it asks for). */
export const JiraIssueSchema = v.object({
  id: v.string(),
  key: v.string(),
  fields: v.object({
    summary: v.string(),
    description: v.optional(v.nullable(v.unknown())),
    labels: v.optional(v.array(v.string()), []),
    issuetype: v.object({ id: v.string(), name: v.optional(v.string()) }),
    parent: v.optional(v.nullable(v.object({ id: v.optional(v.string()), key: v.string() }))),
    status: v.object({
      name: v.optional(v.string()),
      statusCategory: v.object({ key: StatusCategorySchema }),
    }),
  }),
  properties: v.optional(v.record(v.string(), v.unknown()), {}),
});
/** An issue read back from Jira. */
export type JiraIssue = v.InferOutput<typeof JiraIssueSchema>;

/** Jira's fields a sync search asks for; the planner needs no more. */
export const SYNC_FIELDS = ['summary', 'description', 'labels', 'issuetype', 'parent', 'status'] as const;
