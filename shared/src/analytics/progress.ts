import { currentReadings, type SuccessMetric } from '../model/index';
import { clamp01, endOfDayMs, startOfDayMs, toMs } from './time';

/** Status band of a metric or goal against the time elapsed. */
export type ProgressStatus = 'on-track' | 'behind' | 'at-risk';

/** The words people read for a status, the same in the extension, in Jira and in the commitment overview. */
export const PROGRESS_STATUS_WORDS: Readonly<Record<ProgressStatus, string>> = {
  'on-track': 'On track',
  behind: 'Behind',
  'at-risk': 'At risk',
};

/**
 * Thresholds of the status band, on the gap `expected − actual` (both in [0, 1]):
 * on track when the gap is at most `behind` (default 0.1), behind up to `atRisk` (default 0.25), at risk beyond.
 * Anything short of 1 once the due date has passed is at risk.
 */
export interface StatusThresholds {
  behind: number;
  atRisk: number;
}

/** Default status thresholds: 10 points of slack before "behind", 25 before "at risk". */
export const DEFAULT_STATUS_THRESHOLDS: Readonly<StatusThresholds> = { behind: 0.1, atRisk: 0.25 };

/**
 * Direction-aware normalised progress of a value from baseline to target, clamped to [0, 1]:
 * - `increase`: (value − baseline) / (target − baseline);
 * - `decrease`: (baseline − value) / (baseline − target);
 *   for both, when target = baseline: 1 if the value is at or past the target in that direction, else 0;
 * - `maintain`: 1 while the value is at or on the good side of the target, else 0. The good side is the side
 *   the baseline is on (baseline ≥ target: keep at or above; baseline < target: keep at or below).
 * Non-finite results count as 0.
 */
export function normalisedProgress(
  metric: Pick<SuccessMetric, 'direction' | 'baseline' | 'target'>,
  value: number,
): number {
  const { baseline, target } = metric;
  switch (metric.direction) {
    case 'increase':
      if (target === baseline) return value >= target ? 1 : 0;
      return clamp01((value - baseline) / (target - baseline));
    case 'decrease':
      if (target === baseline) return value <= target ? 1 : 0;
      return clamp01((baseline - value) / (baseline - target));
    case 'maintain':
      if (!Number.isFinite(value)) return 0;
      return (baseline >= target ? value >= target : value <= target) ? 1 : 0;
  }
}

/**
 * Expected progress by elapsed time: the share of [start, end-of-due-day] that has passed at `now`, in [0, 1]
 * (linear plan). When the due day ends before the start, expected is 1 once due and 0 before.
 */
export function expectedProgress(startMs: number, dueMs: number, nowMs: number): number {
  if (!(dueMs > startMs)) return nowMs >= dueMs ? 1 : 0;
  return clamp01((nowMs - startMs) / (dueMs - startMs));
}

/** Band of actual vs expected progress (see {@link StatusThresholds}). */
export function progressStatus(
  actual: number,
  expected: number,
  overdue: boolean,
  thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
): ProgressStatus {
  if (actual >= 1) return 'on-track';
  if (overdue) return 'at-risk';
  const gap = expected - actual;
  if (gap <= thresholds.behind) return 'on-track';
  if (gap <= thresholds.atRisk) return 'behind';
  return 'at-risk';
}

/** A metric's progress at a point in time. */
export interface MetricProgress {
  /** The value in force at `now` (latest reading at or before now), or the baseline when there is none. */
  value: number;
  /** Whether any reading was in force at `now`. */
  hasReading: boolean;
  /** Normalised progress in [0, 1]. */
  progress: number;
  /** Expected progress by elapsed time, in [0, 1] (1 for `maintain`: it must hold all along). */
  expected: number;
  /** The end of the due day has passed. */
  overdue: boolean;
  status: ProgressStatus;
}

/**
 * A metric's progress at `now`: the latest reading in force at or before `now` (corrections applied) against
 * baseline and target, expected progress from `start` (usually the cycle's start) to the end of the metric's
 * due day, and the status band.
 */
export function metricProgress(
  metric: SuccessMetric,
  start: string,
  now: string,
  thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
): MetricProgress {
  const nowMs = toMs(now);
  let reading: number | undefined;
  // A reading is true on a day (the check-in form asks for a date and stores it at noon UTC), so it counts from
  // that day's start: a check-in made at 00:30 UTC for "today" is in force at once, not from noon.
  for (const r of currentReadings(metric)) {
    if (startOfDayMs(toMs(r.at)) <= nowMs) reading = r.value;
  }
  const value = reading ?? metric.baseline;
  const progress = normalisedProgress(metric, value);
  const dueMs = endOfDayMs(metric.due);
  const overdue = nowMs > dueMs;
  const expected = metric.direction === 'maintain' ? 1 : expectedProgress(toMs(start), dueMs, nowMs);
  return {
    value,
    hasReading: reading !== undefined,
    progress,
    expected,
    overdue,
    status: progressStatus(progress, expected, overdue, thresholds),
  };
}
