import * as v from 'valibot';
import { DateTimeSchema, IdSchema, NoteSchema } from './common';

/** A non-empty rejection reason. */
export const ReasonSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'is required'),
  v.maxLength(5000),
);

/**
 * Verification state of a department goal (claim 6, 12, 13): draft → submitted (to the up-line manager) →
 * verified | rejected; a rejected goal is edited and submitted again; editing a verified goal's metric sends it
 * back to draft.
 */
export const VerificationStateSchema = v.variant('status', [
  v.object({ status: v.literal('draft') }),
  v.object({
    status: v.literal('submitted'),
    submittedBy: IdSchema,
    submittedAt: DateTimeSchema,
    /** The up-line manager recorded at submission: the only person who may verify or reject. */
    verifierId: IdSchema,
  }),
  v.object({
    status: v.literal('verified'),
    verifierId: IdSchema,
    verifiedBy: IdSchema,
    verifiedAt: DateTimeSchema,
    note: v.optional(NoteSchema),
  }),
  v.object({
    status: v.literal('rejected'),
    verifierId: IdSchema,
    rejectedBy: IdSchema,
    rejectedAt: DateTimeSchema,
    reason: ReasonSchema,
  }),
]);
/** Verification state of a department goal. */
export type VerificationState = v.InferOutput<typeof VerificationStateSchema>;

/** Verification events, the history of a department goal's verification (append-only). */
export const VerificationEventSchema = v.variant('type', [
  v.object({ type: v.literal('submitted'), by: IdSchema, at: DateTimeSchema, verifierId: IdSchema }),
  v.object({ type: v.literal('verified'), by: IdSchema, at: DateTimeSchema, note: v.optional(NoteSchema) }),
  v.object({ type: v.literal('rejected'), by: IdSchema, at: DateTimeSchema, reason: ReasonSchema }),
  v.object({
    type: v.literal('returned-to-draft'),
    by: IdSchema,
    at: DateTimeSchema,
    why: v.picklist(['metric-edited', 'new-cycle', 'withdrawn']),
  }),
]);
/** A verification event. */
export type VerificationEvent = v.InferOutput<typeof VerificationEventSchema>;
