import { EvidenceSchema } from '@cxplan/core';
import * as v from 'valibot';

/**
 * What a capture was meant as: customer feedback, or the seed of a goal or an action to be promoted in the
 * workspace. Temporary local schema until the core's Evidence carries `intent` (requested in notes/requests.md).
 */
export const CaptureIntentSchema = v.picklist(
  ['feedback', 'goal', 'action'],
  'must be feedback, goal or action',
);
/** What a capture was meant as. */
export type CaptureIntent = v.InferOutput<typeof CaptureIntentSchema>;

/** An evidence row as stored by the extension: the core's Evidence plus its capture intent. */
export const EvidenceRowSchema = v.object({
  ...EvidenceSchema.entries,
  intent: v.optional(CaptureIntentSchema, 'feedback'),
});
/** An evidence row as stored by the extension. */
export type EvidenceRow = v.InferOutput<typeof EvidenceRowSchema>;
