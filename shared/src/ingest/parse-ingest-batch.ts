import type * as v from 'valibot';
import { type ParseResult, parseWith } from '../io/parse';
import {
  type IngestBatch,
  IngestBatchSchema,
  type IngestItem,
  type IngestItemEnvelope,
  PAYLOAD_SCHEMAS,
} from './ingest-batch';
import { type IngestRefusal, refuse } from './ingest-refusal';

/**
 * Parses a request body that has already passed the signature check: JSON, then the batch envelope. Anything
 * wrong here refuses the whole request with 400 and the field errors.
 */
export function parseIngestBody(
  body: string,
): { ok: true; batch: IngestBatch } | { ok: false; refusal: IngestRefusal } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      refusal: refuse('invalid-batch', `The body is not JSON: ${detail}`, [
        { path: '', message: `body is not JSON: ${detail}` },
      ]),
    };
  }
  const parsed = parseWith(IngestBatchSchema, json, 'batch');
  if (!parsed.ok) {
    const first = parsed.errors[0]?.message ?? 'batch is invalid';
    return { ok: false, refusal: refuse('invalid-batch', `The batch is invalid: ${first}`, parsed.errors) };
  }
  return { ok: true, batch: parsed.value };
}

/**
 * Parses one item's payload with its kind's core schema; field paths are prefixed with `payload.` so they name
 * the field as sent. The entity's own id must be the client id (the idempotency key).
 */
export function parseIngestItem(envelope: IngestItemEnvelope): ParseResult<IngestItem> {
  const { clientId, kind } = envelope;
  const schema = PAYLOAD_SCHEMAS[kind] as v.GenericSchema;
  const parsed = parseWith(schema, envelope.payload, 'payload');
  if (!parsed.ok) {
    return {
      ok: false,
      errors: parsed.errors.map((e) => ({
        path: e.path ? `payload.${e.path}` : 'payload',
        message: e.path ? `payload.${e.message}` : e.message,
      })),
    };
  }
  const item = { clientId, kind, payload: parsed.value } as IngestItem;
  const entityId = entityIdOf(item);
  if (entityId !== clientId) {
    const path = `payload.${item.kind === 'deptGoal' ? 'goal' : item.kind}.id`;
    return {
      ok: false,
      errors: [{ path, message: `${path} must equal clientId (${clientId}), got ${entityId}` }],
    };
  }
  return { ok: true, value: item };
}

/** The id of the entity an item carries. */
export function entityIdOf(item: IngestItem): string {
  switch (item.kind) {
    case 'evidence':
      return item.payload.evidence.id;
    case 'deptGoal':
      return item.payload.goal.id;
    case 'action':
      return item.payload.action.id;
  }
}
