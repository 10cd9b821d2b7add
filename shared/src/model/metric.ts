import * as v from 'valibot';
import { DateSchema, DateTimeSchema, IdSchema, NameSchema, NoteSchema } from './common';

/** Which way a metric should move: `maintain` means "stay at or better than the target". */
export const DirectionSchema = v.picklist(
  ['increase', 'decrease', 'maintain'],
  'must be increase, decrease or maintain',
);
/** Which way a metric should move. */
export type Direction = v.InferOutput<typeof DirectionSchema>;

const FiniteNumber = v.pipe(v.number('must be a number'), v.finite('must be a finite number'));

/**
 * One reading (check-in) of a metric. Readings are never edited in place: a correction is a new reading that
 * names the one it `corrects`, so the history stays complete. `at` is when the value was true (may be backdated);
 * `recordedAt` is when it was entered.
 */
export const ReadingSchema = v.object({
  id: IdSchema,
  value: FiniteNumber,
  at: DateTimeSchema,
  recordedAt: DateTimeSchema,
  by: IdSchema,
  note: v.optional(NoteSchema),
  corrects: v.optional(IdSchema),
});
/** One reading (check-in) of a metric. */
export type Reading = v.InferOutput<typeof ReadingSchema>;

/** A success metric: how we will know a goal or action worked. */
export const SuccessMetricSchema = v.object({
  name: NameSchema,
  unit: v.pipe(v.string('must be text'), v.trim(), v.maxLength(50, 'is too long (50 characters at most)')),
  direction: DirectionSchema,
  baseline: FiniteNumber,
  target: FiniteNumber,
  due: DateSchema,
  readings: v.optional(v.array(ReadingSchema), []),
});
/** A success metric. */
export type SuccessMetric = v.InferOutput<typeof SuccessMetricSchema>;

/**
 * The readings in force: each correction replaces the reading it corrects (transitively), sorted by `at`.
 * Corrections that point at unknown readings are kept as ordinary readings.
 */
export function currentReadings(metric: Pick<SuccessMetric, 'readings'>): Reading[] {
  const corrected = new Set<string>();
  for (const r of metric.readings) if (r.corrects !== undefined) corrected.add(r.corrects);
  return metric.readings
    .filter((r) => !corrected.has(r.id))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.recordedAt < b.recordedAt ? -1 : 1));
}

/** The latest reading in force, if any. */
export function latestReading(metric: Pick<SuccessMetric, 'readings'>): Reading | undefined {
  return currentReadings(metric).at(-1);
}

/**
 * Merges two copies of a metric's reading history: every reading of `incoming`, plus the readings only `kept` has.
 * Readings are append-only and identified by id, so a check-in entered on one side (say, Jira's issue panel) is not
 * lost when the other side sends its copy, which does not know it yet.
 */
export function mergeReadings(incoming: readonly Reading[], kept: readonly Reading[]): Reading[] {
  const ids = new Set(incoming.map((r) => r.id));
  return [...incoming, ...kept.filter((r) => !ids.has(r.id))];
}

/** `incoming` with the readings only `kept` has added (see {@link mergeReadings}); undefined stays undefined. */
export function withMergedReadings<M extends SuccessMetric | undefined>(
  incoming: M,
  kept: SuccessMetric | undefined,
): M {
  if (incoming === undefined || kept === undefined) return incoming;
  return { ...incoming, readings: mergeReadings(incoming.readings, kept.readings) };
}
