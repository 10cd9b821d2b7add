import { type Evidence, type EvidenceIntent, EvidenceIntentSchema, EvidenceSchema } from '@cxplan/core';

/** What a capture was meant as (the core's EvidenceIntent; absent on a row means feedback). */
export const CaptureIntentSchema = EvidenceIntentSchema;
/** What a capture was meant as. */
export type CaptureIntent = EvidenceIntent;

/** An evidence row as the extension stores it: exactly the core's Evidence (kept as a name the extension uses). */
export const EvidenceRowSchema = EvidenceSchema;
/** An evidence row as stored by the extension. */
export type EvidenceRow = Evidence;

/** The intent of a row, reading an absent intent as feedback. */
export function intentOf(row: Pick<Evidence, 'intent'>): CaptureIntent {
  return row.intent ?? 'feedback';
}
