import type { Driver, Evidence, Stage, Workspace } from '../model/index';
import { toMs } from './time';

/**
 * Weights of the heat-map score. Each piece of evidence tagged with an event contributes
 *
 *   amount = (volume + negative × negativity) × (1 + Σ weight of each driver it bears on)
 *
 * where negativity is 0 for neutral/positive/unscored evidence, 0.5 for sentiment −1 and 1 for −2, and the
 * drivers are the union of the evidence's and the event's drivers. An event's score is the sum of its
 * evidence's amounts, so for n items it equals n × (volume + negative × mean negativity) × driver factor:
 * it grows with volume, with the share of negative sentiment, and with the drivers at stake.
 */
export interface HeatMapWeights {
  /** What any piece of evidence counts, whatever its sentiment (default 0.2). */
  volume: number;
  /** What full negativity (sentiment −2) adds on top (default 1). */
  negative: number;
  /** Extra share when the evidence bears on loyalty (default 0.25). */
  loyalty: number;
  /** Extra share when it bears on retention (default 0.25). */
  retention: number;
  /** Extra share when it is a point of pain (default 0.5). */
  pain: number;
}

/**
 * Default weights: a very negative item counts six times a neutral one (0.2 + 1 vs 0.2), so a handful of angry
 * customers outrank a pile of neutral mentions; pain weighs more than loyalty or retention because it is what
 * customers ask to have fixed.
 */
export const DEFAULT_HEAT_MAP_WEIGHTS: Readonly<HeatMapWeights> = {
  volume: 0.2,
  negative: 1,
  loyalty: 0.25,
  retention: 0.25,
  pain: 0.5,
};

/** Merges stored settings (`settings.heatMapWeights`) over the defaults; unknown keys and bad values are ignored. */
export function resolveHeatMapWeights(stored?: Readonly<Record<string, number>>): HeatMapWeights {
  const out = { ...DEFAULT_HEAT_MAP_WEIGHTS };
  if (!stored) return out;
  for (const key of Object.keys(out) as (keyof HeatMapWeights)[]) {
    const value = stored[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

/** One piece of evidence's share of a cell's score. */
export interface EvidenceContribution {
  evidenceId: string;
  amount: number;
  sentiment: number | undefined;
  drivers: Driver[];
}

/** One customer event on the heat map, with its score and the explanation of the score. */
export interface HeatCell {
  eventId: string;
  eventName: string;
  stageId: string;
  /** Sum of the contributions (see {@link HeatMapWeights}). */
  score: number;
  /** 1-based position in the "what to fix first" ranking. */
  rank: number;
  /** Evidence items tagged with the event (inside the window, if one was given). */
  volume: number;
  negativeCount: number;
  /** negativeCount / volume (0 when there is no evidence). */
  negativeShare: number;
  /** Drivers at stake: the event's own and any its evidence bears on. */
  drivers: Driver[];
  /** The largest contributions, largest first (ties by evidence id); at most `explainTop`. */
  contributions: EvidenceContribution[];
  /** What the evidence not listed in `contributions` adds up to. */
  otherContributions: { count: number; amount: number };
  /** True for the top quartile of events that have any score: the "high priority" events. */
  topQuartile: boolean;
}

/** The heat map: every event ranked, grouped by lifecycle stage. */
export interface HeatMap {
  weights: HeatMapWeights;
  /** All events, ranked: score (desc), then volume (desc), then event id. */
  ranked: HeatCell[];
  /** Stages in their order, each with its events in rank order. */
  byStage: { stageId: string; stageName: string; cells: HeatCell[] }[];
  /** Evidence with no event, or an unknown one (it cannot be placed on the map). */
  unplacedEvidence: number;
}

/** Options of {@link computeHeatMap}. */
export interface HeatMapOptions {
  weights?: Partial<HeatMapWeights>;
  /** Only evidence captured at or after this ISO date-time counts. */
  since?: string;
  /** Only evidence captured before this ISO date-time counts. */
  until?: string;
  /** How many contributions each cell lists (default 10; the rest are summed). */
  explainTop?: number;
}

const DRIVER_BITS: Record<Driver, number> = { loyalty: 1, retention: 2, pain: 4 };
const DRIVERS: readonly Driver[] = ['loyalty', 'retention', 'pain'];
/** Sentiment slots: unscored, −2, −1, 0, +1, +2. */
const SENTIMENT_SLOTS = 6;
const CATEGORIES = SENTIMENT_SLOTS * 8;

function sentimentSlot(s: number | undefined): number {
  return s === undefined ? 0 : s + 3;
}

function driverMask(drivers: readonly Driver[]): number {
  let mask = 0;
  for (const d of drivers) mask |= DRIVER_BITS[d];
  return mask;
}

function maskDrivers(mask: number): Driver[] {
  return DRIVERS.filter((d) => (mask & DRIVER_BITS[d]) !== 0);
}

/** The amount one item in a (sentiment, drivers) category contributes. */
function categoryAmounts(w: HeatMapWeights): Float64Array {
  const out = new Float64Array(CATEGORIES);
  for (let slot = 0; slot < SENTIMENT_SLOTS; slot++) {
    const sentiment = slot === 0 ? 0 : slot - 3;
    const negativity = sentiment < 0 ? -sentiment / 2 : 0;
    for (let mask = 0; mask < 8; mask++) {
      const driverFactor =
        1 + (mask & 1 ? w.loyalty : 0) + (mask & 2 ? w.retention : 0) + (mask & 4 ? w.pain : 0);
      out[slot * 8 + mask] = (w.volume + w.negative * negativity) * driverFactor;
    }
  }
  return out;
}

/**
 * Scores every customer event from its evidence and ranks them ("what to fix first"). The score is summed from
 * per-category counts in a fixed order, so the result does not depend on the order evidence is stored in.
 * One pass over the evidence; O(evidence + events × categories).
 */
export function computeHeatMap(ws: Workspace, options: HeatMapOptions = {}): HeatMap {
  const weights = { ...resolveHeatMapWeights(ws.settings.heatMapWeights), ...options.weights };
  const amounts = categoryAmounts(weights);
  const explainTop = Math.max(0, options.explainTop ?? 10);
  const sinceMs = options.since === undefined ? -Infinity : toMs(options.since);
  const untilMs = options.until === undefined ? Infinity : toMs(options.until);
  const windowed = options.since !== undefined || options.until !== undefined;

  const eventIndex = new Map<string, number>();
  ws.events.forEach((e, i) => {
    eventIndex.set(e.id, i);
  });
  const eventMasks = ws.events.map((e) => driverMask(e.drivers));
  const counts = new Int32Array(ws.events.length * CATEGORIES);
  const members: number[][] = ws.events.map(() => []);
  const itemCategory = new Int8Array(ws.evidence.length);
  let unplaced = 0;

  for (let i = 0; i < ws.evidence.length; i++) {
    const item = ws.evidence[i] as Evidence;
    const ei = item.eventId === undefined ? undefined : eventIndex.get(item.eventId);
    if (ei === undefined) {
      unplaced++;
      continue;
    }
    if (windowed) {
      const at = toMs(item.origin.capturedAt);
      if (!(at >= sinceMs && at < untilMs)) continue;
    }
    const mask = (item.drivers.length === 0 ? 0 : driverMask(item.drivers)) | (eventMasks[ei] ?? 0);
    const category = sentimentSlot(item.sentiment) * 8 + mask;
    itemCategory[i] = category;
    counts[ei * CATEGORIES + category] = (counts[ei * CATEGORIES + category] ?? 0) + 1;
    (members[ei] as number[]).push(i);
  }

  const cells: HeatCell[] = ws.events.map((event, ei) => {
    let score = 0;
    let volume = 0;
    let negativeCount = 0;
    let mask = 0;
    const base = ei * CATEGORIES;
    for (let c = 0; c < CATEGORIES; c++) {
      const n = counts[base + c] ?? 0;
      if (n === 0) continue;
      score += n * (amounts[c] ?? 0);
      volume += n;
      const slot = c >> 3;
      if (slot === 1 || slot === 2) negativeCount += n;
      mask |= c & 7;
    }
    mask |= eventMasks[ei] ?? 0;
    const list = members[ei] as number[];
    const contributions = explain(ws.evidence, list, itemCategory, amounts, explainTop);
    let listed = 0;
    for (const c of contributions) listed += c.amount;
    return {
      eventId: event.id,
      eventName: event.name,
      stageId: event.stageId,
      score,
      rank: 0,
      volume,
      negativeCount,
      negativeShare: volume === 0 ? 0 : negativeCount / volume,
      drivers: maskDrivers(mask),
      contributions,
      otherContributions: { count: volume - contributions.length, amount: Math.max(0, score - listed) },
      topQuartile: false,
    };
  });

  const ranked = [...cells].sort(compareCells);
  ranked.forEach((cell, i) => {
    cell.rank = i + 1;
  });
  const scored = ranked.filter((c) => c.score > 0).length;
  const quartile = Math.ceil(scored / 4);
  for (let i = 0; i < quartile; i++) (ranked[i] as HeatCell).topQuartile = true;

  return { weights, ranked, byStage: groupByStage(ws.stages, ranked), unplacedEvidence: unplaced };
}

/** Ranking order: score desc, volume desc, event id — a total order, so ties never depend on input order. */
function compareCells(a: HeatCell, b: HeatCell): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.volume !== b.volume) return b.volume - a.volume;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

function explain(
  evidence: readonly Evidence[],
  list: readonly number[],
  itemCategory: Int8Array,
  amounts: Float64Array,
  top: number,
): EvidenceContribution[] {
  if (top === 0 || list.length === 0) return [];
  const rows = list.map((i) => ({
    i,
    amount: amounts[itemCategory[i] ?? 0] ?? 0,
    id: (evidence[i] as Evidence).id,
  }));
  rows.sort((a, b) => (a.amount !== b.amount ? b.amount - a.amount : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.slice(0, top).map((r) => {
    const item = evidence[r.i] as Evidence;
    return {
      evidenceId: r.id,
      amount: r.amount,
      sentiment: item.sentiment,
      drivers: maskDrivers((itemCategory[r.i] ?? 0) & 7),
    };
  });
}

function groupByStage(stages: readonly Stage[], ranked: readonly HeatCell[]): HeatMap['byStage'] {
  const ordered = [...stages].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  const groups = new Map<string, HeatMap['byStage'][number]>();
  for (const s of ordered) groups.set(s.id, { stageId: s.id, stageName: s.name, cells: [] });
  for (const cell of ranked) {
    let g = groups.get(cell.stageId);
    if (!g) {
      g = { stageId: cell.stageId, stageName: cell.stageId, cells: [] };
      groups.set(cell.stageId, g);
    }
    g.cells.push(cell);
  }
  return [...groups.values()];
}
