import type { Action, DeptGoal, OrgGoal, PlanWorkspace } from '../model/index';
import {
  DEFAULT_STATUS_THRESHOLDS,
  expectedProgress,
  type MetricProgress,
  metricProgress,
  type ProgressStatus,
  progressStatus,
  type StatusThresholds,
} from './progress';
import { resolveCycle } from './scope';
import { endOfDayMs, toMs } from './time';

/**
 * Weighted mean Σ wᵢ·pᵢ / Σ wᵢ. Weights are first scaled by the largest one (so tiny or huge weights neither
 * underflow nor overflow, and equal weights give exactly the plain mean); an infinite weight outweighs all finite
 * ones. When every weight is 0 it falls back to the plain mean (a goal whose parts are all weighted 0 still shows
 * their progress); `undefined` for no items.
 */
export function weightedMean(items: readonly { weight: number; progress: number }[]): number | undefined {
  if (items.length === 0) return undefined;
  let max = 0;
  for (const { weight } of items) if (weight > max) max = weight;
  let sw = 0;
  let swp = 0;
  let sp = 0;
  for (const { weight, progress } of items) {
    const w = max === Number.POSITIVE_INFINITY ? (weight === max ? 1 : 0) : max > 0 ? weight / max : 0;
    sw += w;
    swp += w * progress;
    sp += progress;
  }
  return sw > 0 ? swp / sw : sp / items.length;
}

/** Where a progress figure came from. */
export type ProgressSource = 'metric' | 'completion' | 'actions' | 'departments' | 'none';

/** Progress of one node of the roll-up (action, department goal or organisation goal). */
export interface NodeProgress {
  id: string;
  /** In [0, 1]. */
  progress: number;
  /** Expected by elapsed time, in [0, 1]. */
  expected: number;
  status: ProgressStatus;
  source: ProgressSource;
  /** The node's own metric, when it has one. */
  metric?: MetricProgress;
}

/** Organisation goal progress: rolled up from its department goals, with its own metric alongside. */
export interface OrgGoalProgress extends NodeProgress {
  /** Weighted mean of its department goals' progress; undefined when it has none. */
  fromDepartments: number | undefined;
}

/** The full roll-up of a cycle. */
export interface RollUp {
  cycleId: string;
  actions: Map<string, NodeProgress>;
  deptGoals: Map<string, NodeProgress>;
  orgGoals: Map<string, OrgGoalProgress>;
  /** Weighted mean of the organisation goals (their `weight`); undefined when there are none. */
  overall: number | undefined;
}

/** Options of {@link rollUp}. */
export interface RollUpOptions {
  cycleId?: string;
  now: string;
  thresholds?: StatusThresholds;
}

/**
 * Progress of every action, department goal and organisation goal of a cycle, bottom-up:
 *
 * - **Action** (dropped ones are left out): done → 1; else its metric's normalised progress when it has a
 *   metric; else 0 (measured by completion). Status: a metric action is banded like any metric; a completion
 *   action is on track when done, at risk once its due day has passed, behind when still `todo` with 75 % or
 *   more of its time (cycle start → due) gone, else on track.
 * - **Department goal**: with `progressSource: 'metric'` and a metric, the metric's progress (expected by its due
 *   date). With `progressSource: 'actions'` — or no metric — the weighted mean (action `weight`) of its actions'
 *   progress, expected by the cycle's elapsed time; with neither, 0 (source `none`).
 * - **Organisation goal**: the weighted mean (department goal `weight`) of its department goals; when it has
 *   none, its own metric's progress. Expected progress comes from its metric's due date.
 * - **Overall**: the weighted mean (organisation goal `weight`) of the organisation goals.
 *
 * One pass per collection with Map indexes: O(actions + goals + readings).
 */
export function rollUp(ws: PlanWorkspace, options: RollUpOptions): RollUp {
  const cycle = resolveCycle(ws, options.cycleId);
  const cycleId = cycle?.id ?? options.cycleId ?? '';
  const thresholds = options.thresholds ?? DEFAULT_STATUS_THRESHOLDS;
  const now = options.now;
  const nowMs = toMs(now);
  const start = cycle?.start ?? now.slice(0, 10);
  const startMs = toMs(start);
  const cycleEndMs = cycle ? endOfDayMs(cycle.end) : nowMs;
  const cycleExpected = expectedProgress(startMs, cycleEndMs, nowMs);

  const actions = new Map<string, NodeProgress>();
  const actionsByGoal = new Map<string, { weight: number; progress: number }[]>();
  for (const a of ws.actions) {
    if (a.cycleId !== cycleId || a.status === 'dropped') continue;
    const node = actionProgress(a, start, now, thresholds);
    actions.set(a.id, node);
    const list = actionsByGoal.get(a.deptGoalId);
    const item = { weight: a.weight, progress: node.progress };
    if (list) list.push(item);
    else actionsByGoal.set(a.deptGoalId, [item]);
  }

  const deptGoals = new Map<string, NodeProgress>();
  const goalsByOrg = new Map<string, { weight: number; progress: number }[]>();
  for (const g of ws.deptGoals) {
    if (g.cycleId !== cycleId) continue;
    const node = deptGoalProgress(
      g,
      actionsByGoal.get(g.id) ?? [],
      start,
      now,
      cycleExpected,
      nowMs > cycleEndMs,
      thresholds,
    );
    deptGoals.set(g.id, node);
    if (g.orgGoalId === undefined) continue;
    const list = goalsByOrg.get(g.orgGoalId);
    const item = { weight: g.weight, progress: node.progress };
    if (list) list.push(item);
    else goalsByOrg.set(g.orgGoalId, [item]);
  }

  const orgGoals = new Map<string, OrgGoalProgress>();
  const overallItems: { weight: number; progress: number }[] = [];
  for (const g of ws.orgGoals) {
    if (g.cycleId !== cycleId) continue;
    const node = orgGoalProgress(g, goalsByOrg.get(g.id) ?? [], start, now, thresholds);
    orgGoals.set(g.id, node);
    overallItems.push({ weight: g.weight, progress: node.progress });
  }
  return { cycleId, actions, deptGoals, orgGoals, overall: weightedMean(overallItems) };
}

/** An action's progress (see {@link rollUp}). */
export function actionProgress(
  a: Action,
  start: string,
  now: string,
  thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
): NodeProgress {
  const nowMs = toMs(now);
  const dueMs = a.due === undefined ? undefined : endOfDayMs(a.due);
  if (a.metric && a.status !== 'done') {
    const m = metricProgress(a.metric, start, now, thresholds);
    return {
      id: a.id,
      progress: m.progress,
      expected: m.expected,
      status: m.status,
      source: 'metric',
      metric: m,
    };
  }
  const progress = a.status === 'done' ? 1 : 0;
  const expected = dueMs === undefined ? 0 : expectedProgress(toMs(start), dueMs, nowMs);
  let status: ProgressStatus = 'on-track';
  if (progress < 1) {
    if (dueMs !== undefined && nowMs > dueMs) status = 'at-risk';
    else if (a.status === 'todo' && expected >= 0.75) status = 'behind';
  }
  const node: NodeProgress = { id: a.id, progress, expected, status, source: 'completion' };
  if (a.metric) node.metric = metricProgress(a.metric, start, now, thresholds);
  return node;
}

function deptGoalProgress(
  g: DeptGoal,
  actions: readonly { weight: number; progress: number }[],
  start: string,
  now: string,
  cycleExpected: number,
  cycleOver: boolean,
  thresholds: StatusThresholds,
): NodeProgress {
  const metric = g.metric ? metricProgress(g.metric, start, now, thresholds) : undefined;
  if (metric && g.progressSource === 'metric') {
    return {
      id: g.id,
      progress: metric.progress,
      expected: metric.expected,
      status: metric.status,
      source: 'metric',
      metric,
    };
  }
  const fromActions = weightedMean(actions);
  const progress = fromActions ?? 0;
  const node: NodeProgress = {
    id: g.id,
    progress,
    expected: cycleExpected,
    status: progressStatus(progress, cycleExpected, cycleOver, thresholds),
    source: fromActions === undefined ? 'none' : 'actions',
  };
  if (metric) node.metric = metric;
  return node;
}

function orgGoalProgress(
  g: OrgGoal,
  deptGoals: readonly { weight: number; progress: number }[],
  start: string,
  now: string,
  thresholds: StatusThresholds,
): OrgGoalProgress {
  const metric = metricProgress(g.metric, start, now, thresholds);
  const fromDepartments = weightedMean(deptGoals);
  const progress = fromDepartments ?? metric.progress;
  return {
    id: g.id,
    progress,
    expected: metric.expected,
    status: progressStatus(progress, metric.expected, metric.overdue, thresholds),
    source: fromDepartments === undefined ? 'metric' : 'departments',
    metric,
    fromDepartments,
  };
}
