import * as v from 'valibot';
import { CycleSchema } from '../model/cycle';
import { EvidenceSchema } from '../model/evidence';
import { CustomerEventSchema, StageSchema, TouchpointSchema } from '../model/framework';
import {
  ActionSchema,
  ContributionSchema,
  DeptGoalSchema,
  OrgGoalSchema,
  SessionSchema,
} from '../model/goals';
import { DepartmentSchema, OrganisationSchema, PersonSchema } from '../model/organisation';
import { SettingsSchema } from '../model/workspace';

/**
 * The team workspace's settings: the workspace settings without `currentCycleId`, which is each person's own
 * choice (the cycle they are looking at) and so never leaves their browser.
 */
export const TeamSettingsSchema = v.omit(SettingsSchema, ['currentCycleId']);

/**
 * Every kind of entity the team workspace holds, with the core schema each body is parsed with. The names are the
 * extension's collection names, so a replica stores a change without a mapping; `organisation` and `settings` are
 * singletons (their one id is the kind's name).
 */
export const TEAM_KIND_SCHEMAS = {
  evidence: EvidenceSchema,
  stages: StageSchema,
  events: CustomerEventSchema,
  touchpoints: TouchpointSchema,
  departments: DepartmentSchema,
  people: PersonSchema,
  cycles: CycleSchema,
  orgGoals: OrgGoalSchema,
  deptGoals: DeptGoalSchema,
  actions: ActionSchema,
  sessions: SessionSchema,
  contributions: ContributionSchema,
  organisation: OrganisationSchema,
  settings: TeamSettingsSchema,
} as const;

/** A kind of entity in the team workspace. */
export type TeamKind = keyof typeof TEAM_KIND_SCHEMAS;
/** The body type of a kind. */
export type TeamBody<K extends TeamKind> = v.InferOutput<(typeof TEAM_KIND_SCHEMAS)[K]>;

/** Every team kind, in the order a replica applies a page of changes (what others refer to comes first). */
export const TEAM_KINDS: readonly TeamKind[] = [
  'organisation',
  'settings',
  'departments',
  'people',
  'cycles',
  'stages',
  'events',
  'touchpoints',
  'evidence',
  'orgGoals',
  'deptGoals',
  'actions',
  'sessions',
  'contributions',
];

/** The schema of a team kind's wire name, for parsing what a request names. */
export const TeamKindSchema = v.picklist(TEAM_KINDS as TeamKind[], 'must be a kind of the team workspace');

/** The kinds with exactly one entity, whose id is the kind's own name. */
export const SINGLETON_KINDS: ReadonlySet<TeamKind> = new Set(['organisation', 'settings']);

/** Singular words for messages ("the department goal …"). */
export const TEAM_KIND_LABELS: Record<TeamKind, string> = {
  evidence: 'clip',
  stages: 'lifecycle stage',
  events: 'customer event',
  touchpoints: 'touchpoint',
  departments: 'department',
  people: 'person',
  cycles: 'cycle',
  orgGoals: 'organisation goal',
  deptGoals: 'department goal',
  actions: 'action',
  sessions: 'session',
  contributions: 'contribution',
  organisation: 'organisation',
  settings: 'settings',
};

/**
 * Fields only the Jira app writes: a goal's verification (Jira workflow transitions) and the issue links (the Jira
 * sync). A replica's change to them is refused; the store sets them itself.
 */
export const SERVER_OWNED_FIELDS: Partial<Record<TeamKind, readonly string[]>> = {
  deptGoals: ['verification', 'verificationHistory', 'jira'],
  actions: ['jira'],
};

/**
 * Object fields whose members are versioned one by one: two people changing a metric's target and its due date
 * at once both keep their change. (A metric is the one such object in the model.)
 */
export const NESTED_FIELDS: Partial<Record<TeamKind, readonly string[]>> = {
  orgGoals: ['metric'],
  deptGoals: ['metric'],
  actions: ['metric'],
};

/**
 * Append-only sets, merged by a key instead of replaced: a check-in (a metric reading) or an acknowledgement made
 * by one person is never lost to another person's write of the same list, whatever the order. A correction is a
 * new reading, and an acknowledgement is not taken back, so nothing is ever removed from these sets.
 */
export const SET_FIELDS: Partial<Record<TeamKind, Readonly<Record<string, string>>>> = {
  orgGoals: { 'metric.readings': 'id' },
  deptGoals: { 'metric.readings': 'id' },
  actions: { 'metric.readings': 'id' },
  sessions: { acknowledgements: 'personId' },
};

/** Parses a body of a kind with its core schema. */
export function parseTeamBody<K extends TeamKind>(
  kind: K,
  input: unknown,
): v.SafeParseResult<(typeof TEAM_KIND_SCHEMAS)[K]> {
  return v.safeParse(TEAM_KIND_SCHEMAS[kind], input, { abortEarly: false });
}
