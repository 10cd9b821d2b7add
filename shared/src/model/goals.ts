import * as v from 'valibot';
import { DateSchema, DateTimeSchema, IdListSchema, IdSchema, NameSchema, NoteSchema } from './common';
import { SuccessMetricSchema } from './metric';
import { VerificationEventSchema, VerificationStateSchema } from './verification-state';

/** Links to Jira kept on a synced entity (set by the Jira side; absent when running locally only). */
export const JiraLinkSchema = v.object({
  issueKey: v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'must be a Jira issue key such as CX-12')),
  issueId: v.optional(v.string()),
  syncedAt: v.optional(DateTimeSchema),
});
/** A link to a Jira issue. */
export type JiraLink = v.InferOutput<typeof JiraLinkSchema>;

/**
 * An organisation goal, set in the strategy session (claim 1(b)): it has a success metric and is based on the
 * data, so it must cite at least one piece of evidence.
 */
export const OrgGoalSchema = v.object({
  id: IdSchema,
  cycleId: IdSchema,
  title: NameSchema,
  description: v.optional(NoteSchema),
  metric: SuccessMetricSchema,
  evidenceIds: v.pipe(IdListSchema, v.minLength(1, 'must cite at least one piece of evidence')),
  /** Customer events the goal addresses (optional; usually picked from the heat map). */
  eventIds: v.optional(IdListSchema, []),
  weight: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more')), 1),
  /** Set when this goal was copied from the previous cycle. */
  copiedFrom: v.optional(IdSchema),
});
/** An organisation goal. */
export type OrgGoal = v.InferOutput<typeof OrgGoalSchema>;

/** How a department goal's progress is computed: from its own metric or from its actions' completion. */
export const ProgressSourceSchema = v.picklist(['metric', 'actions'], 'must be metric or actions');

/**
 * A department goal (claim 1(c)). Stored drafts may be incomplete; the plan checks flag what is missing and
 * submission for verification requires an organisation goal, a business objective and a metric.
 */
export const DeptGoalSchema = v.object({
  id: IdSchema,
  cycleId: IdSchema,
  departmentId: IdSchema,
  title: NameSchema,
  description: v.optional(NoteSchema),
  orgGoalId: v.optional(IdSchema),
  businessObjectiveId: v.optional(IdSchema),
  metric: v.optional(SuccessMetricSchema),
  /** Relative weight in the organisation goal's roll-up. */
  weight: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more')), 1),
  progressSource: v.optional(ProgressSourceSchema, 'metric'),
  ownerId: v.optional(IdSchema),
  verification: v.optional(VerificationStateSchema, { status: 'draft' }),
  verificationHistory: v.optional(v.array(VerificationEventSchema), []),
  jira: v.optional(JiraLinkSchema),
  copiedFrom: v.optional(IdSchema),
});
/** A department goal. */
export type DeptGoal = v.InferOutput<typeof DeptGoalSchema>;

/** Actions should cover people, process and technology (seed 004). */
export const ComponentSchema = v.picklist(
  ['people', 'process', 'technology'],
  'must be people, process or technology',
);
/** Which of people, process or technology an action changes. */
export type Component = v.InferOutput<typeof ComponentSchema>;

/** An action's status; Jira status categories map onto it (new → todo, indeterminate → in-progress, done → done). */
export const ActionStatusSchema = v.picklist(
  ['todo', 'in-progress', 'done', 'dropped'],
  'must be todo, in-progress, done or dropped',
);
/** An action's status. */
export type ActionStatus = v.InferOutput<typeof ActionStatusSchema>;

/** A measurable action taken to accomplish a department goal (claim 1(d)). */
export const ActionSchema = v.object({
  id: IdSchema,
  cycleId: IdSchema,
  deptGoalId: IdSchema,
  title: NameSchema,
  description: v.optional(NoteSchema),
  ownerId: v.optional(IdSchema),
  due: v.optional(DateSchema),
  component: v.optional(ComponentSchema),
  metric: v.optional(SuccessMetricSchema),
  /** For actions measured by completion: what "done" means. */
  doneCriterion: v.optional(NoteSchema),
  status: v.optional(ActionStatusSchema, 'todo'),
  weight: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more')), 1),
  evidenceIds: v.optional(IdListSchema, []),
  eventIds: v.optional(IdListSchema, []),
  touchpointIds: v.optional(IdListSchema, []),
  /** Set when an open action was carried over from the previous cycle. */
  carriedFrom: v.optional(IdSchema),
  jira: v.optional(JiraLinkSchema),
});
/** A measurable action. */
export type Action = v.InferOutput<typeof ActionSchema>;

/** What an executive states as their contribution to the CX goals in a cycle (seed 002). */
export const ContributionSchema = v.object({
  id: IdSchema,
  cycleId: IdSchema,
  personId: IdSchema,
  statement: NameSchema,
  orgGoalIds: v.optional(IdListSchema, []),
});
/** An executive's stated contribution. */
export type Contribution = v.InferOutput<typeof ContributionSchema>;

/** A strategy or commitment session, with who attended, who was briefed and who acknowledged the plan. */
export const SessionSchema = v.object({
  id: IdSchema,
  cycleId: IdSchema,
  kind: v.picklist(['strategy', 'commitment'], 'must be strategy or commitment'),
  date: DateSchema,
  attendeeIds: v.optional(IdListSchema, []),
  briefedIds: v.optional(IdListSchema, []),
  acknowledgements: v.optional(v.array(v.object({ personId: IdSchema, at: DateTimeSchema })), []),
  notes: v.optional(NoteSchema),
});
/** A strategy or commitment session. */
export type Session = v.InferOutput<typeof SessionSchema>;
