import * as v from 'valibot';
import type { FieldError } from '../io/parse';

/** Why a whole request was refused (as opposed to one item of an accepted batch). */
export const IngestRefusalCodeSchema = v.picklist([
  'not-paired',
  'missing-signature',
  'bad-signature',
  'key-rotated',
  'stale-timestamp',
  'replayed-nonce',
  'too-large',
  'invalid-batch',
  'method-not-allowed',
  'unavailable',
]);
/** Why a whole request was refused. */
export type IngestRefusalCode = v.InferOutput<typeof IngestRefusalCodeSchema>;

/** The HTTP status each refusal answers with; one table, read by the handler and the sender. */
export const REFUSAL_STATUS: Readonly<Record<IngestRefusalCode, number>> = {
  'not-paired': 401,
  'missing-signature': 401,
  'bad-signature': 401,
  'key-rotated': 401,
  'stale-timestamp': 401,
  'replayed-nonce': 409,
  'too-large': 413,
  'invalid-batch': 400,
  'method-not-allowed': 405,
  unavailable: 503,
};

/** A refused request: status, machine-readable code, a sentence for people, and field errors for 400s. */
export interface IngestRefusal {
  status: number;
  code: IngestRefusalCode;
  message: string;
  errors?: FieldError[];
}

/** Builds a refusal with the status that belongs to its code. */
export function refuse(code: IngestRefusalCode, message: string, errors?: FieldError[]): IngestRefusal {
  return errors
    ? { status: REFUSAL_STATUS[code], code, message, errors }
    : { status: REFUSAL_STATUS[code], code, message };
}
