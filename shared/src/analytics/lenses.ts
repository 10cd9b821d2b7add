import type { Driver, PlanWorkspace } from '../model/index';
import type { HeatCell, HeatMap } from './heat-map';

/** A group of heat-map events under one lens (e.g. "point of pain", "Billing department", "Action X"). */
export interface LensGroup {
  /** A driver, a department id, an action id, or `none` for events the lens cannot place. */
  key: string;
  label: string;
  /** The group's events in heat-map rank order. */
  cells: HeatCell[];
  /** Sum of the events' scores: how much is at stake in this group. */
  totalScore: number;
}

const DRIVER_LABEL: Record<Driver, string> = {
  loyalty: 'Loyalty driver',
  retention: 'Retention driver',
  pain: 'Point of pain',
};

function group(key: string, label: string, cells: HeatCell[]): LensGroup {
  const sorted = [...cells].sort((a, b) => a.rank - b.rank);
  let totalScore = 0;
  for (const c of sorted) totalScore += c.score;
  return { key, label, cells: sorted, totalScore };
}

/** Lens "driver": events grouped by loyalty, retention and point of pain (an event may sit in several). */
export function lensByDriver(map: HeatMap): LensGroup[] {
  const out: LensGroup[] = (['loyalty', 'retention', 'pain'] as const).map((d) =>
    group(
      d,
      DRIVER_LABEL[d],
      map.ranked.filter((c) => c.drivers.includes(d)),
    ),
  );
  out.push(
    group(
      'none',
      'No driver stated',
      map.ranked.filter((c) => c.drivers.length === 0),
    ),
  );
  return out;
}

/**
 * Lens "operational capability": events grouped by the department owning their touchpoints (a touchpoint lists
 * the events it serves). An event served by two departments' touchpoints sits in both groups.
 */
export function lensByCapability(ws: PlanWorkspace, map: HeatMap): LensGroup[] {
  const owners = new Map<string, Set<string>>();
  for (const tp of ws.touchpoints) {
    if (tp.ownerDepartmentId === undefined) continue;
    for (const eventId of tp.eventIds) {
      let set = owners.get(eventId);
      if (!set) {
        set = new Set();
        owners.set(eventId, set);
      }
      set.add(tp.ownerDepartmentId);
    }
  }
  const byDept = new Map<string, HeatCell[]>();
  const unowned: HeatCell[] = [];
  for (const cell of map.ranked) {
    const depts = owners.get(cell.eventId);
    if (!depts || depts.size === 0) {
      unowned.push(cell);
      continue;
    }
    for (const d of depts) {
      const list = byDept.get(d);
      if (list) list.push(cell);
      else byDept.set(d, [cell]);
    }
  }
  const names = new Map(ws.departments.map((d) => [d.id, d.name]));
  const out = [...byDept.entries()].map(([id, cells]) => group(id, names.get(id) ?? id, cells));
  out.sort((a, b) => b.totalScore - a.totalScore || (a.key < b.key ? -1 : 1));
  out.push(group('none', 'No owning department', unowned));
  return out;
}

/**
 * Lens "initiative dependency": events grouped by the actions linked to them (in the given cycle when one is
 * named; dropped actions do not count), plus the events no action addresses yet.
 */
export function lensByInitiative(ws: PlanWorkspace, map: HeatMap, cycleId?: string): LensGroup[] {
  const cellById = new Map(map.ranked.map((c) => [c.eventId, c]));
  const covered = new Set<string>();
  const out: LensGroup[] = [];
  for (const action of ws.actions) {
    if (action.status === 'dropped') continue;
    if (cycleId !== undefined && action.cycleId !== cycleId) continue;
    const cells: HeatCell[] = [];
    for (const id of action.eventIds) {
      const cell = cellById.get(id);
      if (cell) {
        cells.push(cell);
        covered.add(id);
      }
    }
    if (cells.length > 0) out.push(group(action.id, action.title, cells));
  }
  out.sort((a, b) => b.totalScore - a.totalScore || (a.key < b.key ? -1 : 1));
  out.push(
    group(
      'none',
      'No action yet',
      map.ranked.filter((c) => !covered.has(c.eventId)),
    ),
  );
  return out;
}
