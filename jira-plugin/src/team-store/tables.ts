import type { TeamKind } from '@cxplan/core';

/**
 * Where each kind lives in Forge SQL. Every plan and framework kind has a table of the same shape (id, version,
 * tombstone, change position, the body as JSON, the merge's field stamps) plus two columns the Jira side
 * queries by (`cycle_id`, `parent_id`); clips have their own table (cx_evidence), sized for a million rows.
 */
export const ENTITY_TABLES = {
  stages: 'cx_stages',
  events: 'cx_events',
  touchpoints: 'cx_touchpoints',
  departments: 'cx_departments',
  people: 'cx_people',
  cycles: 'cx_cycles',
  orgGoals: 'cx_org_goals',
  deptGoals: 'cx_dept_goals',
  actions: 'cx_actions',
  sessions: 'cx_sessions',
  contributions: 'cx_contributions',
  organisation: 'cx_organisation',
  settings: 'cx_settings',
} as const satisfies Record<Exclude<TeamKind, 'evidence'>, string>;

/** A kind kept in an entity table (every kind but evidence). */
export type EntityKind = keyof typeof ENTITY_TABLES;

/** Every entity kind, in a fixed order (the feed's tie-break among equal change times). */
export const ENTITY_KINDS = Object.keys(ENTITY_TABLES) as EntityKind[];

/** The clips' table. */
export const EVIDENCE_TABLE = 'cx_evidence';

/** The per-kind columns the Jira side and the rights view query by: the cycle and the entity above. */
export function indexColumns(
  kind: EntityKind,
  body: Readonly<Record<string, unknown>>,
): { cycleId: string | null; parentId: string | null } {
  const s = (key: string): string | null => (typeof body[key] === 'string' ? (body[key] as string) : null);
  const parent: Partial<Record<EntityKind, string>> = {
    events: 'stageId',
    touchpoints: 'stageId',
    departments: 'parentId',
    people: 'departmentId',
    deptGoals: 'departmentId',
    actions: 'deptGoalId',
    contributions: 'personId',
  };
  const parentKey = parent[kind];
  return { cycleId: s('cycleId'), parentId: parentKey === undefined ? null : s(parentKey) };
}
