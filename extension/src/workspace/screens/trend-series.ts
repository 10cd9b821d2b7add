import { currentReadings, metricProgress, type SuccessMetric } from '@cxplan/core';

const DAY_MS = 86_400_000;
/** Points the expected line is sampled at; it is a straight line, so a few suffice (the core gives each value). */
const EXPECTED_SAMPLES = 24;

/** What the chart draws, in plain numbers: x in seconds (uPlot's time unit), series aligned on x. */
export interface TrendSeries {
  x: number[];
  readings: (number | null)[];
  expected: number[];
  target: number[];
  /** The latest reading in force, if any. */
  latest?: { at: string; value: number };
  /** Expected value at `now` by the core's rule (baseline at the cycle's start → target at the end of the due day). */
  expectedNow: number;
}

/**
 * The chart's series from a metric: readings in force (corrections applied by the core's `currentReadings`), the
 * expected value over time and the target. The expected value at a time is the baseline moved by the core's
 * expected progress (`metricProgress(…).expected`, the same rule the status band uses) towards the target, so the
 * line is the core's plan, not a second one drawn by the UI.
 */
export function trendSeries(metric: SuccessMetric, start: string, now: string): TrendSeries {
  const readings = currentReadings(metric).map((r) => ({ t: Date.parse(r.at), v: r.value, at: r.at }));
  const expectedAt = (ms: number): number =>
    metric.baseline +
    metricProgress(metric, start, new Date(ms).toISOString()).expected * (metric.target - metric.baseline);
  const startMs = Date.parse(start.slice(0, 10));
  const dueMs = Date.parse(metric.due.slice(0, 10)) + DAY_MS;
  const first = Math.min(startMs, ...readings.map((r) => r.t));
  const last = Math.max(dueMs, ...readings.map((r) => r.t));
  const times = new Set<number>(readings.map((r) => r.t));
  for (let i = 0; i <= EXPECTED_SAMPLES; i++)
    times.add(Math.round(first + ((last - first) * i) / EXPECTED_SAMPLES));
  if (startMs > first) times.add(startMs);
  const xs = [...times].sort((a, b) => a - b);
  const byTime = new Map(readings.map((r) => [r.t, r.v]));
  const latest = readings.at(-1);
  return {
    x: xs.map((t) => t / 1000),
    readings: xs.map((t) => byTime.get(t) ?? null),
    expected: xs.map(expectedAt),
    target: xs.map(() => metric.target),
    ...(latest ? { latest: { at: latest.at, value: latest.v } } : {}),
    expectedNow: expectedAt(Date.parse(now)),
  };
}
