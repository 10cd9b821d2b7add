import type { Cycle, Workspace } from '../model/index';

/**
 * The cycle analytics work in when the caller names none: the workspace's current cycle, else the active one,
 * else the latest by start date.
 */
export function resolveCycle(ws: Workspace, cycleId?: string): Cycle | undefined {
  const wanted = cycleId ?? ws.settings.currentCycleId;
  if (wanted !== undefined) return ws.cycles.find((c) => c.id === wanted);
  const active = ws.cycles.find((c) => c.status === 'active');
  if (active) return active;
  let latest: Cycle | undefined;
  for (const c of ws.cycles) if (!latest || c.start > latest.start) latest = c;
  return latest;
}

/** Groups items by a key in one pass. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
