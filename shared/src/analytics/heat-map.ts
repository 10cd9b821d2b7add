import { type Driver, type Evidence, feedbackTime, type Stage, type Workspace } from '../model/index';
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
  /** Only evidence given at or after this ISO date-time counts (its {@link feedbackTime}: a response's own time). */
  since?: string;
  /** Only evidence given before this ISO date-time counts (its {@link feedbackTime}). */
  until?: string;
  /** How many contributions each cell lists (default 10; the rest are summed). */
  explainTop?: number;
}

const DRIVER_BITS: Record<Driver, number> = { loyalty: 1, retention: 2, pain: 4 };
const DRIVERS: readonly Driver[] = ['loyalty', 'retention', 'pain'];
/** Sentiment slots: unscored, −2, −1, 0, +1, +2. */
const SENTIMENT_SLOTS = 6;
/** How many {@link heatMapCategory} values there are (6 sentiment slots × 8 driver sets): 0..47. */
export const HEAT_MAP_CATEGORIES = SENTIMENT_SLOTS * 8;
const CATEGORIES = HEAT_MAP_CATEGORIES;

function sentimentSlot(s: number | undefined): number {
  return s === undefined ? 0 : s + 3;
}

function driverMask(drivers: readonly Driver[]): number {
  let mask = 0;
  for (const d of drivers) mask |= DRIVER_BITS[d];
  return mask;
}

const MASK_DRIVERS: readonly (readonly Driver[])[] = Array.from({ length: 8 }, (_, mask) =>
  DRIVERS.filter((d) => (mask & DRIVER_BITS[d]) !== 0),
);

function maskDrivers(mask: number): Driver[] {
  return [...(MASK_DRIVERS[mask & 7] ?? [])];
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
  const levels = amountLevels(amounts);
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
  const volumes = new Int32Array(ws.events.length);
  const itemEvent = new Int32Array(ws.evidence.length).fill(-1);
  const itemCategory = new Int8Array(ws.evidence.length);
  let unplaced = 0;

  // Pass 1: each item's event and category; per-event category counts.
  for (let i = 0; i < ws.evidence.length; i++) {
    const item = ws.evidence[i] as Evidence;
    const ei = item.eventId === undefined ? undefined : eventIndex.get(item.eventId);
    if (ei === undefined) {
      unplaced++;
      continue;
    }
    if (windowed) {
      const at = toMs(feedbackTime(item.origin));
      if (!(at >= sinceMs && at < untilMs)) continue;
    }
    const mask = (item.drivers.length === 0 ? 0 : driverMask(item.drivers)) | (eventMasks[ei] ?? 0);
    const category = sentimentSlot(item.sentiment) * 8 + mask;
    itemEvent[i] = ei;
    itemCategory[i] = category;
    counts[ei * CATEGORIES + category] = (counts[ei * CATEGORIES + category] ?? 0) + 1;
    volumes[ei] = (volumes[ei] ?? 0) + 1;
  }

  // Pass 2 (only when explaining): each event's items, laid out contiguously (counting sort).
  const offsets = new Int32Array(ws.events.length + 1);
  let members = new Int32Array(0);
  if (explainTop > 0) {
    for (let e = 0; e < ws.events.length; e++) offsets[e + 1] = (offsets[e] ?? 0) + (volumes[e] ?? 0);
    members = new Int32Array(offsets[ws.events.length] ?? 0);
    const fill = offsets.slice(0, ws.events.length);
    for (let i = 0; i < itemEvent.length; i++) {
      const ei = itemEvent[i] ?? -1;
      if (ei < 0) continue;
      const at = fill[ei] ?? 0;
      members[at] = i;
      fill[ei] = at + 1;
    }
  }

  return rankEvents(ws, weights, counts, eventMasks, amounts, unplaced, (ei, base) =>
    explainTop > 0
      ? explain(
          ws.evidence,
          members,
          offsets[ei] ?? 0,
          offsets[ei + 1] ?? 0,
          counts,
          base,
          itemCategory,
          amounts,
          levels,
          explainTop,
        )
      : [],
  );
}

/**
 * The heat-map category of one piece of evidence by itself: its sentiment slot and its own drivers (the
 * event's drivers are added when scoring, since they can change without the evidence changing). Storage keeps
 * it indexed next to the event id so the heat map can be computed from index keys alone
 * ({@link computeHeatMapFromCounts}); an integer in 0..47.
 */
export function heatMapCategory(evidence: Pick<Evidence, 'sentiment' | 'drivers'>): number {
  return sentimentSlot(evidence.sentiment) * 8 + driverMask(evidence.drivers ?? []);
}

/** How many evidence items of one event fall in one {@link heatMapCategory}. */
export interface HeatMapCount {
  eventId: string;
  category: number;
  count: number;
}

/** Options of {@link computeHeatMapFromCounts} (no window: counts carry no capture dates). */
export interface HeatMapFromCountsOptions {
  weights?: Partial<HeatMapWeights>;
}

/**
 * The same heat map as {@link computeHeatMap} without a window, computed from per event × category counts
 * instead of the evidence rows (so storage can answer from an index without reading 100k rows). Cells carry no
 * contributions: the whole score is in `otherContributions`; an opened cell's evidence is read on demand.
 * Counts for unknown events or with no event id are `unplacedEvidence`; a category outside 0..47 is an error.
 */
export function computeHeatMapFromCounts(
  ws: Omit<Workspace, 'evidence'>,
  counts: Iterable<HeatMapCount>,
  options: HeatMapFromCountsOptions = {},
): HeatMap {
  const weights = { ...resolveHeatMapWeights(ws.settings.heatMapWeights), ...options.weights };
  const amounts = categoryAmounts(weights);
  const eventIndex = new Map<string, number>();
  ws.events.forEach((e, i) => {
    eventIndex.set(e.id, i);
  });
  const eventMasks = ws.events.map((e) => driverMask(e.drivers));
  const table = new Int32Array(ws.events.length * CATEGORIES);
  let unplaced = 0;
  for (const { eventId, category, count } of counts) {
    if (!Number.isInteger(category) || category < 0 || category >= CATEGORIES)
      throw new RangeError(`heat-map count for event "${eventId}": category ${category} is not in 0..47`);
    const ei = eventIndex.get(eventId);
    if (ei === undefined) {
      unplaced += count;
      continue;
    }
    const c = category | (eventMasks[ei] ?? 0);
    table[ei * CATEGORIES + c] = (table[ei * CATEGORIES + c] ?? 0) + count;
  }
  return rankEvents(ws, weights, table, eventMasks, amounts, unplaced, () => []);
}

/** Scores, ranks and groups the events from their per-category counts (shared by both entry points). */
function rankEvents(
  ws: Pick<Workspace, 'events' | 'stages'>,
  weights: HeatMapWeights,
  counts: Int32Array,
  eventMasks: readonly number[],
  amounts: Float64Array,
  unplaced: number,
  contributionsOf: (ei: number, base: number) => EvidenceContribution[],
): HeatMap {
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
    const contributions = contributionsOf(ei, base);
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

/**
 * Ranks categories by amount: `level[c]` is 0 for the categories with the largest amount, 1 for the next
 * distinct amount, and so on (equal amounts share a level, so ties are broken by evidence id across them).
 */
interface AmountLevels {
  level: Int8Array;
  levels: number;
  /** The amount of each level. */
  amount: Float64Array;
  /** Scratch space for per-level counts, reused across events (explaining allocates little per event). */
  perLevel: Int32Array;
}

function amountLevels(amounts: Float64Array): AmountLevels {
  const distinct = [...new Set(amounts)].sort((a, b) => b - a);
  const level = new Int8Array(CATEGORIES);
  for (let c = 0; c < CATEGORIES; c++) level[c] = distinct.indexOf(amounts[c] ?? 0);
  return {
    level,
    levels: distinct.length,
    amount: Float64Array.from(distinct),
    perLevel: new Int32Array(distinct.length),
  };
}

/**
 * The `top` largest contributions among an event's items, ordered by amount (desc) then evidence id. Counts
 * per amount level tell which level the cut falls in; items above it are all in, and only the items of the
 * cut level are sorted by id. So most items cost a typed-array lookup, none a string comparison.
 */
function explain(
  evidence: readonly Evidence[],
  members: Int32Array,
  from: number,
  to: number,
  counts: Int32Array,
  base: number,
  itemCategory: Int8Array,
  amounts: Float64Array,
  levels: AmountLevels,
  top: number,
): EvidenceContribution[] {
  if (to === from) return [];
  const perLevel = levels.perLevel;
  perLevel.fill(0);
  for (let c = 0; c < CATEGORIES; c++) {
    const l = levels.level[c] ?? 0;
    perLevel[l] = (perLevel[l] ?? 0) + (counts[base + c] ?? 0);
  }
  let cut = 0;
  let above = 0;
  while (cut < levels.levels - 1 && above + (perLevel[cut] ?? 0) < top) above += perLevel[cut++] ?? 0;
  const chosen: { i: number; id: string; amount: number }[] = [];
  // The cut level's items compete for the remaining places by smallest id: a small sorted buffer, so most
  // items cost one string comparison and nothing is allocated for them.
  const room = top - above;
  const bufIds: string[] = [];
  const bufItems: number[] = [];
  for (let k = from; k < to; k++) {
    const i = members[k] ?? 0;
    const c = itemCategory[i] ?? 0;
    const l = levels.level[c] ?? 0;
    if (l > cut) continue;
    const id = (evidence[i] as Evidence).id;
    if (l < cut) {
      chosen.push({ i, id, amount: amounts[c] ?? 0 });
      continue;
    }
    if (bufIds.length === room && id >= (bufIds[room - 1] as string)) continue;
    let at = bufIds.length;
    while (at > 0 && (bufIds[at - 1] as string) > id) at--;
    bufIds.splice(at, 0, id);
    bufItems.splice(at, 0, i);
    if (bufIds.length > room) {
      bufIds.pop();
      bufItems.pop();
    }
  }
  const cutAmount = levels.amount[cut] ?? 0;
  bufItems.forEach((i, k) => {
    chosen.push({ i, id: bufIds[k] as string, amount: cutAmount });
  });
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  chosen.sort((a, b) => b.amount - a.amount || byId(a, b));
  return chosen.slice(0, top).map((r) => ({
    evidenceId: r.id,
    amount: r.amount,
    sentiment: (evidence[r.i] as Evidence).sentiment,
    drivers: maskDrivers((itemCategory[r.i] ?? 0) & 7),
  }));
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

/**
 * A cell's score in words, for the heat map's hover and for people asked to defend it in a meeting: how many
 * pieces of evidence, how negative, which drivers are at stake, its rank, and how a piece counts under `weights`
 * (the settings' weights, see {@link resolveHeatMapWeights}).
 */
export function scoreInWords(
  cell: Pick<HeatCell, 'score' | 'volume' | 'negativeShare' | 'drivers' | 'rank' | 'topQuartile'>,
  eventCount: number,
  weights: Readonly<HeatMapWeights> = DEFAULT_HEAT_MAP_WEIGHTS,
): string {
  const n = (x: number): string => String(Math.round(x * 100) / 100);
  const pieces = `${cell.volume} ${cell.volume === 1 ? 'piece' : 'pieces'} of evidence`;
  const drivers =
    cell.drivers.length === 0
      ? 'no driver at stake'
      : `${cell.drivers.join(', ')} at stake (each adds ${cell.drivers.map((d) => `${n(weights[d] * 100)} %`).join(', ')})`;
  return (
    `Score ${cell.score.toFixed(1)}: ${pieces}, ${Math.round(cell.negativeShare * 100)} % negative, ${drivers}. ` +
    `Each piece counts ${n(weights.volume)}, a very negative one ${n(weights.volume + weights.negative)}. ` +
    `Rank ${cell.rank} of ${eventCount}${cell.topQuartile ? ', in the top quarter: fix first' : ''}.`
  );
}
