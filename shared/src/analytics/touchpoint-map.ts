import { KNOWN_CHANNELS, type Touchpoint, type Workspace } from '../model/index';

/** One touchpoint as the map shows it. */
export interface TouchpointEntry {
  touchpointId: string;
  name: string;
  state: Touchpoint['state'];
  ownerDepartmentId: string | undefined;
  ownerName: string | undefined;
  timing: string | undefined;
  /** Clips placed on the touchpoint. */
  evidenceCount: number;
  /** Of those, the negative ones (sentiment below 0): the pain customers feel there. */
  negativeCount: number;
  /** Non-dropped actions (of the cycle, when one is given) that work on the touchpoint. */
  actionCount: number;
}

/** A gap between the current and the desired touchpoint map. */
export type TouchpointGap =
  | { kind: 'desired-without-action'; touchpointId: string; name: string; message: string }
  | {
      kind: 'current-with-negative-evidence';
      touchpointId: string;
      name: string;
      negativeCount: number;
      volume: number;
      /** Whether some action is already linked to the touchpoint. */
      addressed: boolean;
      message: string;
    };

/** The touchpoint map: stages (rows) × channels (columns), and its gaps. */
export interface TouchpointMap {
  stages: { stageId: string; stageName: string }[];
  /** Known channels first (in their usual order), then any others alphabetically. */
  channels: string[];
  /** `cells[stageId][channel]` lists the touchpoints there (current before desired, then by name). */
  cells: Record<string, Record<string, TouchpointEntry[]>>;
  gaps: TouchpointGap[];
}

/** Options of {@link touchpointMap}; the thresholds define "strong negative evidence". */
export interface TouchpointMapOptions {
  /** Only this cycle's (non-dropped) actions count as addressing a touchpoint; all cycles when omitted. */
  cycleId?: string;
  /** Least number of negative items (sentiment < 0) for a current touchpoint to be a gap (default 3). */
  minNegative?: number;
  /** Least share of negative items among its evidence (default 0.5). */
  minNegativeShare?: number;
}

/**
 * Builds the touchpoint map and its gaps: desired touchpoints no action works on yet, and current touchpoints
 * with strong negative evidence (at least `minNegative` negative items making up at least `minNegativeShare` of
 * the touchpoint's evidence). One pass over evidence and actions.
 */
export function touchpointMap(ws: Workspace, options: TouchpointMapOptions = {}): TouchpointMap {
  const minNegative = options.minNegative ?? 3;
  const minShare = options.minNegativeShare ?? 0.5;
  const deptName = new Map(ws.departments.map((d) => [d.id, d.name]));
  const stages = [...ws.stages]
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
    .map((s) => ({ stageId: s.id, stageName: s.name }));

  const known = new Set<string>(KNOWN_CHANNELS);
  const present = new Set(ws.touchpoints.map((t) => t.channel));
  const channels = [
    ...KNOWN_CHANNELS.filter((c) => present.has(c)),
    ...[...present].filter((c) => !known.has(c)).sort(),
  ];

  const actionCount = new Map<string, number>();
  for (const a of ws.actions) {
    if (a.status === 'dropped') continue;
    if (options.cycleId !== undefined && a.cycleId !== options.cycleId) continue;
    for (const id of new Set(a.touchpointIds)) actionCount.set(id, (actionCount.get(id) ?? 0) + 1);
  }
  const volume = new Map<string, number>();
  const negative = new Map<string, number>();
  for (const e of ws.evidence) {
    if (e.touchpointId === undefined) continue;
    volume.set(e.touchpointId, (volume.get(e.touchpointId) ?? 0) + 1);
    if (e.sentiment !== undefined && e.sentiment < 0)
      negative.set(e.touchpointId, (negative.get(e.touchpointId) ?? 0) + 1);
  }

  // Null-prototype records: stage ids and channel names are user text ("constructor" is a fine channel name).
  const record = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
  const cells = record<Record<string, TouchpointEntry[]>>();
  for (const s of stages) cells[s.stageId] = record();
  const sorted = [...ws.touchpoints].sort(
    (a, b) =>
      (a.state === b.state ? 0 : a.state === 'current' ? -1 : 1) ||
      a.name.localeCompare(b.name) ||
      (a.id < b.id ? -1 : 1),
  );
  for (const tp of sorted) {
    const row = cells[tp.stageId] ?? record<TouchpointEntry[]>();
    cells[tp.stageId] = row;
    const list = row[tp.channel] ?? [];
    row[tp.channel] = list;
    list.push({
      touchpointId: tp.id,
      name: tp.name,
      state: tp.state,
      ownerDepartmentId: tp.ownerDepartmentId,
      ownerName: tp.ownerDepartmentId === undefined ? undefined : deptName.get(tp.ownerDepartmentId),
      timing: tp.timing,
      evidenceCount: volume.get(tp.id) ?? 0,
      negativeCount: negative.get(tp.id) ?? 0,
      actionCount: actionCount.get(tp.id) ?? 0,
    });
  }

  const gaps: TouchpointGap[] = [];
  for (const tp of sorted) {
    if (tp.state === 'desired') {
      if (!actionCount.has(tp.id))
        gaps.push({
          kind: 'desired-without-action',
          touchpointId: tp.id,
          name: tp.name,
          message: `Desired touchpoint "${tp.name}" has no action to put it in place.`,
        });
      continue;
    }
    const n = volume.get(tp.id) ?? 0;
    const neg = negative.get(tp.id) ?? 0;
    if (neg >= minNegative && n > 0 && neg / n >= minShare)
      gaps.push({
        kind: 'current-with-negative-evidence',
        touchpointId: tp.id,
        name: tp.name,
        negativeCount: neg,
        volume: n,
        addressed: actionCount.has(tp.id),
        message: `Touchpoint "${tp.name}" has ${neg} negative of ${n} evidence items${
          actionCount.has(tp.id) ? '' : ' and no action addressing it'
        }.`,
      });
  }
  return { stages, channels, cells, gaps };
}
