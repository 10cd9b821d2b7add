import type { Workspace } from './workspace';

/** A reference from one entity to another that does not exist (e.g. evidence tagged with an unknown stage). */
export interface DanglingReference {
  /** Dot path of the offending field, e.g. `evidence[3].stageId`. */
  path: string;
  /** The id that was referenced. */
  id: string;
  /** What kind of entity was expected. */
  expected: string;
  message: string;
}

type Collection = keyof Pick<
  Workspace,
  | 'departments'
  | 'people'
  | 'cycles'
  | 'stages'
  | 'events'
  | 'touchpoints'
  | 'evidence'
  | 'orgGoals'
  | 'deptGoals'
  | 'actions'
>;

const LABEL: Record<Collection | 'businessObjectives', string> = {
  departments: 'department',
  people: 'person',
  cycles: 'planning cycle',
  stages: 'lifecycle stage',
  events: 'customer event',
  touchpoints: 'touchpoint',
  evidence: 'evidence item',
  orgGoals: 'organisation goal',
  deptGoals: 'department goal',
  actions: 'action',
  businessObjectives: 'business objective',
};

/**
 * Finds every reference in a workspace that points at nothing. Schemas check each entity's shape; this checks
 * the links between them, so imports and restores can refuse (or report) an unknown stage, goal or person.
 */
export function findDanglingReferences(ws: Workspace): DanglingReference[] {
  const ids = {
    departments: new Set(ws.departments.map((x) => x.id)),
    people: new Set(ws.people.map((x) => x.id)),
    cycles: new Set(ws.cycles.map((x) => x.id)),
    stages: new Set(ws.stages.map((x) => x.id)),
    events: new Set(ws.events.map((x) => x.id)),
    touchpoints: new Set(ws.touchpoints.map((x) => x.id)),
    evidence: new Set(ws.evidence.map((x) => x.id)),
    orgGoals: new Set(ws.orgGoals.map((x) => x.id)),
    deptGoals: new Set(ws.deptGoals.map((x) => x.id)),
    actions: new Set(ws.actions.map((x) => x.id)),
    businessObjectives: new Set(ws.organisation.businessObjectives.map((x) => x.id)),
  };
  const out: DanglingReference[] = [];
  const ref = (path: string, id: string | undefined, kind: keyof typeof ids): void => {
    if (id === undefined || ids[kind].has(id)) return;
    out.push({
      path,
      id,
      expected: LABEL[kind],
      message: `${path} refers to an unknown ${LABEL[kind]} "${id}"`,
    });
  };
  const refs = (path: string, list: readonly string[], kind: keyof typeof ids): void => {
    list.forEach((id, i) => {
      ref(`${path}[${i}]`, id, kind);
    });
  };
  ws.departments.forEach((d, i) => {
    ref(`departments[${i}].managerId`, d.managerId, 'people');
    ref(`departments[${i}].upLineManagerId`, d.upLineManagerId, 'people');
    ref(`departments[${i}].parentId`, d.parentId, 'departments');
  });
  ws.people.forEach((p, i) => {
    ref(`people[${i}].departmentId`, p.departmentId, 'departments');
  });
  ws.cycles.forEach((c, i) => {
    ref(`cycles[${i}].previousCycleId`, c.previousCycleId, 'cycles');
  });
  ws.events.forEach((e, i) => {
    ref(`events[${i}].stageId`, e.stageId, 'stages');
  });
  ws.touchpoints.forEach((t, i) => {
    ref(`touchpoints[${i}].stageId`, t.stageId, 'stages');
    ref(`touchpoints[${i}].ownerDepartmentId`, t.ownerDepartmentId, 'departments');
    refs(`touchpoints[${i}].eventIds`, t.eventIds, 'events');
  });
  ws.evidence.forEach((e, i) => {
    ref(`evidence[${i}].stageId`, e.stageId, 'stages');
    ref(`evidence[${i}].eventId`, e.eventId, 'events');
    ref(`evidence[${i}].touchpointId`, e.touchpointId, 'touchpoints');
  });
  ws.orgGoals.forEach((g, i) => {
    ref(`orgGoals[${i}].cycleId`, g.cycleId, 'cycles');
    refs(`orgGoals[${i}].evidenceIds`, g.evidenceIds, 'evidence');
    refs(`orgGoals[${i}].eventIds`, g.eventIds, 'events');
  });
  ws.deptGoals.forEach((g, i) => {
    ref(`deptGoals[${i}].cycleId`, g.cycleId, 'cycles');
    ref(`deptGoals[${i}].departmentId`, g.departmentId, 'departments');
    ref(`deptGoals[${i}].orgGoalId`, g.orgGoalId, 'orgGoals');
    ref(`deptGoals[${i}].businessObjectiveId`, g.businessObjectiveId, 'businessObjectives');
    ref(`deptGoals[${i}].ownerId`, g.ownerId, 'people');
  });
  ws.actions.forEach((a, i) => {
    ref(`actions[${i}].cycleId`, a.cycleId, 'cycles');
    ref(`actions[${i}].deptGoalId`, a.deptGoalId, 'deptGoals');
    ref(`actions[${i}].ownerId`, a.ownerId, 'people');
    refs(`actions[${i}].evidenceIds`, a.evidenceIds, 'evidence');
    refs(`actions[${i}].eventIds`, a.eventIds, 'events');
    refs(`actions[${i}].touchpointIds`, a.touchpointIds, 'touchpoints');
  });
  ws.sessions.forEach((s, i) => {
    ref(`sessions[${i}].cycleId`, s.cycleId, 'cycles');
    refs(`sessions[${i}].attendeeIds`, s.attendeeIds, 'people');
    refs(`sessions[${i}].briefedIds`, s.briefedIds, 'people');
  });
  ws.contributions.forEach((c, i) => {
    ref(`contributions[${i}].cycleId`, c.cycleId, 'cycles');
    ref(`contributions[${i}].personId`, c.personId, 'people');
    refs(`contributions[${i}].orgGoalIds`, c.orgGoalIds, 'orgGoals');
  });
  return out;
}

/** Plural labels for the collections a reference can come from (the first segment of a dangling path). */
const PLURAL: Record<string, [string, string]> = {
  departments: ['department', 'departments'],
  people: ['person', 'people'],
  cycles: ['planning cycle', 'planning cycles'],
  events: ['customer event', 'customer events'],
  touchpoints: ['touchpoint', 'touchpoints'],
  orgGoals: ['organisation goal', 'organisation goals'],
  deptGoals: ['department goal', 'department goals'],
  actions: ['action', 'actions'],
  sessions: ['session', 'sessions'],
  contributions: ['contribution', 'contributions'],
};

/** The outcome of {@link checkDeletion}. */
export type DeletionCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether one stage, event or touchpoint can be deleted without leaving anything pointing at nothing. The plan
 * is checked here (the references that deleting it would leave dangling, found by {@link findDanglingReferences}
 * before and after); the evidence is counted by the caller from its index (`evidenceUsing`), since it can be 100k
 * rows. Deleting is refused while anything uses it: re-tag or unlink first, so no clip silently loses its tag.
 */
export function checkDeletion(
  ws: Omit<Workspace, 'evidence'>,
  collection: 'stages' | 'events' | 'touchpoints',
  id: string,
  evidenceUsing: number,
): DeletionCheck {
  const target = (ws[collection] as readonly { id: string; name: string }[]).find((x) => x.id === id);
  if (target === undefined) return { ok: false, message: `There is no ${LABEL[collection]} "${id}".` };
  const paths = (w: Workspace): Set<string> => new Set(findDanglingReferences(w).map((d) => d.path));
  const before = paths({ ...ws, evidence: [] });
  const after = findDanglingReferences({
    ...ws,
    [collection]: (ws[collection] as readonly { id: string }[]).filter((x) => x.id !== id),
    evidence: [],
  } as Workspace).filter((d) => !before.has(d.path));
  const users = new Map<string, Set<string>>();
  for (const d of after) {
    const [, from = '', index = ''] = /^(\w+)\[(\d+)\]/.exec(d.path) ?? [];
    users.set(from, (users.get(from) ?? new Set()).add(index));
  }
  const parts = [...users].map(([from, rows]) => {
    const [one, many] = PLURAL[from] ?? [from, from];
    return `${rows.size} ${rows.size === 1 ? one : many}`;
  });
  if (evidenceUsing > 0) parts.unshift(`${evidenceUsing} piece${evidenceUsing === 1 ? '' : 's'} of evidence`);
  if (parts.length === 0) return { ok: true };
  return {
    ok: false,
    message: `“${target.name}” is used by ${parts.join(', ')}: re-tag or unlink them first, then delete it.`,
  };
}
