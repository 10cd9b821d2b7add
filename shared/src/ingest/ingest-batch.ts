import * as v from 'valibot';
import { DateTimeSchema } from '../model/common';
import { EvidenceSchema } from '../model/evidence';
import { ActionSchema, DeptGoalSchema } from '../model/goals';
import { INGEST_PROTOCOL_VERSION, MAX_BATCH_ITEMS } from './ingest-protocol';
import { IngestPersonSchema } from './person-accounts';

/** At most this many people per batch (each goal or action names at most one owner). */
export const MAX_BATCH_PEOPLE = MAX_BATCH_ITEMS;

/**
 * A client id: the id the extension gave the entity, which the Jira side uses as the idempotency key (and in
 * storage keys, hence the restricted alphabet; UUIDs fit).
 */
export const ClientIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1–100 letters, digits, dots, colons, underscores or hyphens'),
);

/** What a capture was meant as (feedback, or the seed of a goal or action); mirrors the extension's rows. */
export const IngestIntentSchema = v.picklist(
  ['feedback', 'goal', 'action'],
  'must be feedback, goal or action',
);

/** The kinds of item a batch carries. */
export const IngestItemKindSchema = v.picklist(
  ['evidence', 'deptGoal', 'action'],
  'must be evidence, deptGoal or action',
);
/** The kind of an ingest item. */
export type IngestItemKind = v.InferOutput<typeof IngestItemKindSchema>;

/**
 * The envelope of one item, checked for the whole batch up front (a bad envelope refuses the request with 400).
 * The payload is parsed per item afterwards, so one invalid capture is rejected alone and the rest go through.
 */
export const IngestItemEnvelopeSchema = v.object({
  clientId: ClientIdSchema,
  kind: IngestItemKindSchema,
  payload: v.unknown(),
});
/** The envelope of one item. */
export type IngestItemEnvelope = v.InferOutput<typeof IngestItemEnvelopeSchema>;

/**
 * A batch as sent by the extension: protocol version, when, up to 500 items, and optionally the people its goals
 * and actions name as owners (extension person id → Atlassian account id; see `person-accounts.ts`).
 */
export const IngestBatchSchema = v.pipe(
  v.object({
    version: v.literal(INGEST_PROTOCOL_VERSION, `must be ${INGEST_PROTOCOL_VERSION}`),
    sentAt: DateTimeSchema,
    items: v.pipe(
      v.array(IngestItemEnvelopeSchema, 'must be a list of items'),
      v.minLength(1, 'must contain at least one item'),
      v.maxLength(MAX_BATCH_ITEMS, `must contain at most ${MAX_BATCH_ITEMS} items`),
    ),
    people: v.optional(
      v.pipe(
        v.array(IngestPersonSchema, 'must be a list of people'),
        v.maxLength(MAX_BATCH_PEOPLE, `must name at most ${MAX_BATCH_PEOPLE} people`),
        v.check(
          (people) => new Set(people.map((p) => p.id)).size === people.length,
          'must not name the same person twice',
        ),
      ),
      [],
    ),
  }),
  v.forward(
    v.check(
      (batch) => new Set(batch.items.map((i) => `${i.kind}:${i.clientId}`)).size === batch.items.length,
      'must not contain the same client id twice',
    ),
    ['items'],
  ),
);
/** A batch as sent by the extension. */
export type IngestBatch = v.InferOutput<typeof IngestBatchSchema>;

/** An evidence item's payload: the core's Evidence (its id is the client id) and what it was captured as. */
export const EvidencePayloadSchema = v.object({
  evidence: EvidenceSchema,
  intent: v.optional(IngestIntentSchema, 'feedback'),
});
/** A department goal item's payload. */
export const DeptGoalPayloadSchema = v.object({ goal: DeptGoalSchema });
/** An action item's payload. */
export const ActionPayloadSchema = v.object({ action: ActionSchema });

/** A fully parsed item: kind, client id and the typed payload. */
export type IngestItem =
  | { clientId: string; kind: 'evidence'; payload: v.InferOutput<typeof EvidencePayloadSchema> }
  | { clientId: string; kind: 'deptGoal'; payload: v.InferOutput<typeof DeptGoalPayloadSchema> }
  | { clientId: string; kind: 'action'; payload: v.InferOutput<typeof ActionPayloadSchema> };

/** The payload schema of each kind (one table, used by the parser and the tests). */
export const PAYLOAD_SCHEMAS = {
  evidence: EvidencePayloadSchema,
  deptGoal: DeptGoalPayloadSchema,
  action: ActionPayloadSchema,
} as const;
