import { DateTimeSchema, IdSchema } from '@cxplan/core';
import * as v from 'valibot';

/** What an outbox entry asks the sender to do in Jira (the sender itself arrives with the Jira issues). */
export const OutboxOperationSchema = v.variant('kind', [
  v.object({ kind: v.literal('evidence.create'), evidenceId: IdSchema }),
  v.object({ kind: v.literal('evidence.update'), evidenceId: IdSchema }),
]);
/** What an outbox entry asks the sender to do. */
export type OutboxOperation = v.InferOutput<typeof OutboxOperationSchema>;

const Attempts = v.pipe(v.number(), v.integer(), v.minValue(0, 'must be 0 or more'));
const EpochMs = v.pipe(v.number(), v.integer(), v.minValue(0, 'must be 0 or more'));

const common = {
  id: IdSchema,
  operation: OutboxOperationSchema,
  createdAt: DateTimeSchema,
  attempts: Attempts,
};

/**
 * One entry of the outbox, a state machine: pending → sending → sent, or back to pending with a later
 * `nextAttemptAt` after a transient failure, or failed once retries are exhausted or the error is permanent.
 */
export const OutboxItemSchema = v.variant('status', [
  v.object({
    ...common,
    status: v.literal('pending'),
    nextAttemptAt: EpochMs,
    lastError: v.optional(v.string()),
  }),
  v.object({ ...common, status: v.literal('sending'), sendingSince: EpochMs }),
  v.object({ ...common, status: v.literal('sent'), sentAt: EpochMs }),
  v.object({ ...common, status: v.literal('failed'), failedAt: EpochMs, lastError: v.string() }),
]);
/** One entry of the outbox. */
export type OutboxItem = v.InferOutput<typeof OutboxItemSchema>;
/** The status of an outbox entry. */
export type OutboxStatus = OutboxItem['status'];
