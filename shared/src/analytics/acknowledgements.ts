import type { PlanWorkspace } from '../model/index';

/** One person's standing for the commitment session. */
export interface AcknowledgementEntry {
  personId: string;
  name: string;
  role: string;
  /** Briefed (or attended) in a commitment session of the cycle. */
  briefed: boolean;
  /** When they acknowledged the plan (the earliest acknowledgement in the cycle), if they have. */
  acknowledgedAt: string | undefined;
}

/** A department's acknowledgement list. */
export interface DepartmentAcknowledgements {
  /** The department id, or `none` for people in no department. */
  departmentId: string;
  departmentName: string;
  people: AcknowledgementEntry[];
  acknowledged: number;
  total: number;
}

/**
 * The acknowledgement list per department for a cycle's commitment sessions: every person (partners excluded —
 * they are not asked to commit), whether they were briefed and when they acknowledged. Departments in name
 * order, people by name; people without a department come last under "No department".
 */
export function acknowledgementList(ws: PlanWorkspace, cycleId: string): DepartmentAcknowledgements[] {
  const briefed = new Set<string>();
  const acknowledged = new Map<string, string>();
  for (const s of ws.sessions) {
    if (s.cycleId !== cycleId || s.kind !== 'commitment') continue;
    for (const id of s.attendeeIds) briefed.add(id);
    for (const id of s.briefedIds) briefed.add(id);
    for (const a of s.acknowledgements) {
      const prev = acknowledged.get(a.personId);
      if (prev === undefined || Date.parse(a.at) < Date.parse(prev)) acknowledged.set(a.personId, a.at);
    }
  }
  const groups = new Map<string, DepartmentAcknowledgements>();
  const known = new Set(ws.departments.map((d) => d.id));
  for (const d of [...ws.departments].sort((a, b) => a.name.localeCompare(b.name))) {
    groups.set(d.id, { departmentId: d.id, departmentName: d.name, people: [], acknowledged: 0, total: 0 });
  }
  const none: DepartmentAcknowledgements = {
    departmentId: 'none',
    departmentName: 'No department',
    people: [],
    acknowledged: 0,
    total: 0,
  };
  for (const p of [...ws.people].sort((a, b) => a.name.localeCompare(b.name))) {
    if (p.role === 'partner') continue;
    const g = p.departmentId !== undefined && known.has(p.departmentId) ? groups.get(p.departmentId) : none;
    if (!g) continue;
    const at = acknowledged.get(p.id);
    g.people.push({
      personId: p.id,
      name: p.name,
      role: p.role,
      briefed: briefed.has(p.id),
      acknowledgedAt: at,
    });
    g.total++;
    if (at !== undefined) g.acknowledged++;
  }
  const out = [...groups.values()];
  if (none.total > 0) out.push(none);
  return out;
}
