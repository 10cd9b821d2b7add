import * as v from 'valibot';
import { CycleSchema } from './cycle';
import { EvidenceSchema } from './evidence';
import { CustomerEventSchema, DEFAULT_STAGES, StageSchema, TouchpointSchema } from './framework';
import { ActionSchema, ContributionSchema, DeptGoalSchema, OrgGoalSchema, SessionSchema } from './goals';
import { DepartmentSchema, OrganisationSchema, PersonSchema } from './organisation';

/** The current workspace schema version; backups carry it and older ones are upgraded on restore. */
export const WORKSPACE_SCHEMA_VERSION = 1;

/** Tunable settings of a workspace (rules read them; defaults are documented where they are used). */
export const SettingsSchema = v.object({
  /** Days a submitted department goal may wait for verification before the plan checks flag it. */
  verificationOverdueDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 14),
  /** The cycle the user is working in. */
  currentCycleId: v.optional(v.string()),
  /** Heat-map weights; see `analytics/heat-map.ts` for the defaults. */
  heatMapWeights: v.optional(v.record(v.string(), v.number())),
});
/** Tunable settings of a workspace. */
export type Settings = v.InferOutput<typeof SettingsSchema>;

/** A whole workspace: everything one organisation's plan consists of. The unit of backup and restore. */
export const WorkspaceSchema = v.object({
  schemaVersion: v.literal(WORKSPACE_SCHEMA_VERSION, `must be ${WORKSPACE_SCHEMA_VERSION}`),
  organisation: OrganisationSchema,
  departments: v.array(DepartmentSchema),
  people: v.array(PersonSchema),
  cycles: v.array(CycleSchema),
  stages: v.array(StageSchema),
  events: v.array(CustomerEventSchema),
  touchpoints: v.array(TouchpointSchema),
  evidence: v.array(EvidenceSchema),
  orgGoals: v.array(OrgGoalSchema),
  deptGoals: v.array(DeptGoalSchema),
  actions: v.array(ActionSchema),
  sessions: v.array(SessionSchema),
  contributions: v.array(ContributionSchema),
  settings: SettingsSchema,
});
/** A whole workspace. */
export type Workspace = v.InferOutput<typeof WorkspaceSchema>;

/**
 * The workspace without its evidence: what the plan-only analytics read (cycles, goals, actions, people…). The
 * evidence can be 100k rows, so functions that never read it take this, and a front end can run them before (or
 * without) loading every row.
 */
export type PlanWorkspace = Omit<Workspace, 'evidence'>;

/** An empty workspace with the default lifecycle stages. */
export function emptyWorkspace(organisationName = 'My organisation'): Workspace {
  return {
    schemaVersion: WORKSPACE_SCHEMA_VERSION,
    organisation: { name: organisationName, businessObjectives: [] },
    departments: [],
    people: [],
    cycles: [],
    stages: DEFAULT_STAGES.map((s) => ({ ...s })),
    events: [],
    touchpoints: [],
    evidence: [],
    orgGoals: [],
    deptGoals: [],
    actions: [],
    sessions: [],
    contributions: [],
    settings: { verificationOverdueDays: 14 },
  };
}
