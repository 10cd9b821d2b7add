import type { Driver, Workspace } from '../model/index';
import type { HeatMap } from './heat-map';

/** One entry of the "what to fix first" list. */
export interface FixFirstItem {
  rank: number;
  eventId: string;
  eventName: string;
  stageName: string;
  score: number;
  volume: number;
  negativeShare: number;
  drivers: Driver[];
  /** Whether a (non-dropped) action of the cycle already links the event or any of its evidence. */
  addressed: boolean;
  /** One line a manager reads, e.g. "12 items, 58 % negative; point of pain; no action yet". */
  reason: string;
}

const DRIVER_TEXT: Record<Driver, string> = {
  loyalty: 'loyalty',
  retention: 'retention',
  pain: 'point of pain',
};

/**
 * The ranked "what to fix first" list: the heat map's events that have any score, best first, each with the
 * reason in words and whether an action already addresses it. `limit` defaults to 10.
 */
export function whatToFixFirst(
  ws: Workspace,
  map: HeatMap,
  options: { cycleId?: string; limit?: number } = {},
): FixFirstItem[] {
  const limit = options.limit ?? 10;
  const top = map.ranked.filter((c) => c.score > 0).slice(0, limit);
  const wanted = new Set(top.map((c) => c.eventId));
  const addressed = new Set<string>();
  const evidenceIds = new Set<string>();
  for (const a of ws.actions) {
    if (a.status === 'dropped' || (options.cycleId !== undefined && a.cycleId !== options.cycleId)) continue;
    for (const id of a.eventIds) if (wanted.has(id)) addressed.add(id);
    for (const id of a.evidenceIds) evidenceIds.add(id);
  }
  if (evidenceIds.size > 0)
    for (const e of ws.evidence)
      if (e.eventId !== undefined && wanted.has(e.eventId) && evidenceIds.has(e.id)) addressed.add(e.eventId);
  const stageName = new Map(ws.stages.map((s) => [s.id, s.name]));
  return top.map((c) => {
    const parts = [
      `${c.volume} item${c.volume === 1 ? '' : 's'}, ${Math.round(c.negativeShare * 100)} % negative`,
    ];
    if (c.drivers.length > 0) parts.push(c.drivers.map((d) => DRIVER_TEXT[d]).join(', '));
    parts.push(addressed.has(c.eventId) ? 'being addressed' : 'no action yet');
    return {
      rank: c.rank,
      eventId: c.eventId,
      eventName: c.eventName,
      stageName: stageName.get(c.stageId) ?? c.stageId,
      score: c.score,
      volume: c.volume,
      negativeShare: c.negativeShare,
      drivers: c.drivers,
      addressed: addressed.has(c.eventId),
      reason: parts.join('; '),
    };
  });
}
