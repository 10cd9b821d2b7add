import * as v from 'valibot';
import { DateSchema, IdSchema, NameSchema } from './common';

/** A planning cycle's status: planning → active → closed. */
export const CycleStatusSchema = v.picklist(
  ['planning', 'active', 'closed'],
  'must be planning, active or closed',
);
/** A planning cycle's status. */
export type CycleStatus = v.InferOutput<typeof CycleStatusSchema>;

/** A planning cycle (usually a year); a new one starts from the previous one. */
export const CycleSchema = v.pipe(
  v.object({
    id: IdSchema,
    name: NameSchema,
    start: DateSchema,
    end: DateSchema,
    status: CycleStatusSchema,
    previousCycleId: v.optional(IdSchema),
  }),
  v.forward(
    v.check((c) => c.start <= c.end, 'must not be before the start date'),
    ['end'],
  ),
);
/** A planning cycle. */
export type Cycle = v.InferOutput<typeof CycleSchema>;
