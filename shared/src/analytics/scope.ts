import type { Cycle, PlanWorkspace } from '../model/index';

/**
 * The cycle analytics work in when the caller names none: the workspace's current cycle, else the active one,
 * else the latest by start date.
 */
export function resolveCycle(
  ws: Pick<PlanWorkspace, 'cycles' | 'settings'>,
  cycleId?: string,
): Cycle | undefined {
  const wanted = cycleId ?? ws.settings.currentCycleId;
  if (wanted !== undefined) return ws.cycles.find((c) => c.id === wanted);
  const active = ws.cycles.find((c) => c.status === 'active');
  if (active) return active;
  let latest: Cycle | undefined;
  for (const c of ws.cycles) if (!latest || c.start > latest.start) latest = c;
  return latest;
}
