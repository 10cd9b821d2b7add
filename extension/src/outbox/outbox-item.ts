import { DateTimeSchema, IdSchema } from '@cxplan/core';
import * as v from 'valibot';

/**
 * What an outbox entry asks the sender to do in Jira. Entries name the entity, not a copy of it: the sender reads
 * the row when it sends, so the newest version always wins. The ingest protocol has no delete, so there are no
 * delete operations (a deleted goal stays in Jira until someone closes it there).
 */
export const OutboxOperationSchema = v.variant('kind', [
  v.object({ kind: v.literal('evidence.create'), evidenceId: IdSchema }),
  v.object({ kind: v.literal('evidence.update'), evidenceId: IdSchema }),
  v.object({ kind: v.literal('deptGoal.upsert'), deptGoalId: IdSchema }),
  v.object({ kind: v.literal('action.upsert'), actionId: IdSchema }),
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
  v.object({
    ...common,
    status: v.literal('sent'),
    sentAt: EpochMs,
    /** The Jira issue the server reported for a goal or action (epic or child issue key). */
    jiraKey: v.optional(v.string()),
  }),
  v.object({ ...common, status: v.literal('failed'), failedAt: EpochMs, lastError: v.string() }),
]);
/** One entry of the outbox. */
export type OutboxItem = v.InferOutput<typeof OutboxItemSchema>;
/** The status of an outbox entry. */
export type OutboxStatus = OutboxItem['status'];

/** The kind of entity an outbox entry is about (the ingest item kind). */
export type OutboxEntityKind = 'evidence' | 'deptGoal' | 'action';

/** The entity an operation is about: its ingest kind and id. */
export function entityOf(operation: OutboxOperation): { kind: OutboxEntityKind; id: string } {
  switch (operation.kind) {
    case 'evidence.create':
    case 'evidence.update':
      return { kind: 'evidence', id: operation.evidenceId };
    case 'deptGoal.upsert':
      return { kind: 'deptGoal', id: operation.deptGoalId };
    case 'action.upsert':
      return { kind: 'action', id: operation.actionId };
  }
}

/** One key per entity across kinds (`deptGoal:<id>`), for grouping entries. */
export function entityKey(operation: OutboxOperation): string {
  const { kind, id } = entityOf(operation);
  return `${kind}:${id}`;
}
