import * as v from 'valibot';
import { DateTimeSchema } from '../model/common';
import { ClientIdSchema, IngestItemKindSchema } from './ingest-batch';
import { INGEST_PROTOCOL_VERSION } from './ingest-protocol';
import { IngestRefusalCodeSchema } from './ingest-refusal';

const FieldErrorSchema = v.object({ path: v.string(), message: v.string() });

const resultBase = { clientId: ClientIdSchema, kind: IngestItemKindSchema };

/**
 * What happened to one item: created; updated (same client id, changed content); duplicate (same client id and
 * content: nothing changed, so re-sending a batch is harmless); or rejected with a reason. A rejection is
 * `retryable` when it was the Jira side's fault (e.g. Jira unavailable) and the same item may succeed later.
 */
export const IngestItemResultSchema = v.variant('status', [
  v.object({ ...resultBase, status: v.literal('created'), jiraKey: v.optional(v.string()) }),
  v.object({ ...resultBase, status: v.literal('updated'), jiraKey: v.optional(v.string()) }),
  v.object({ ...resultBase, status: v.literal('duplicate'), jiraKey: v.optional(v.string()) }),
  v.object({
    ...resultBase,
    status: v.literal('rejected'),
    reason: v.string(),
    retryable: v.boolean(),
    errors: v.optional(v.array(FieldErrorSchema)),
  }),
]);
/** What happened to one item. */
export type IngestItemResult = v.InferOutput<typeof IngestItemResultSchema>;
/** The status of one item's result. */
export type IngestItemStatus = IngestItemResult['status'];

/** The 200 answer to an accepted batch: one result per item, in the order sent. */
export const IngestAcceptedSchema = v.object({
  ok: v.literal(true),
  version: v.literal(INGEST_PROTOCOL_VERSION),
  serverTime: DateTimeSchema,
  results: v.array(IngestItemResultSchema),
});
/** The answer to an accepted batch. */
export type IngestAccepted = v.InferOutput<typeof IngestAcceptedSchema>;

/** The answer to a refused request (4xx): code, message, and field errors for an invalid batch. */
export const IngestRefusedSchema = v.object({
  ok: v.literal(false),
  code: IngestRefusalCodeSchema,
  message: v.string(),
  serverTime: DateTimeSchema,
  errors: v.optional(v.array(FieldErrorSchema)),
});
/** The answer to a refused request. */
export type IngestRefused = v.InferOutput<typeof IngestRefusedSchema>;

/** Any JSON answer of the ingest endpoint; the sender parses responses with this. */
export const IngestResponseSchema = v.variant('ok', [IngestAcceptedSchema, IngestRefusedSchema]);
/** Any JSON answer of the ingest endpoint. */
export type IngestResponse = v.InferOutput<typeof IngestResponseSchema>;
