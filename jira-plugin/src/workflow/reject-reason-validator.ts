import { REJECT_REASON_MESSAGE, reasonFromComment } from '@cxplan/core';
import * as v from 'valibot';

const ValidatorEventSchema = v.object({
  issue: v.optional(v.object({ key: v.optional(v.string()) })),
  transition: v.optional(v.object({ modifiedFields: v.optional(v.record(v.string(), v.unknown())) })),
});

/** What a Forge function validator returns: allowed, or refused with the message Jira shows. */
export interface ValidatorResult {
  result: boolean;
  errorMessage?: string;
}

/**
 * `jira:workflowValidator` (function) on *Reject*: refuses the transition unless the Comment field of the Reject
 * screen holds a reason. Jira passes the fields changed on the screen as `transition.modifiedFields`.
 */
export function handler(event: unknown): ValidatorResult {
  const parsed = v.safeParse(ValidatorEventSchema, event);
  const comment = parsed.success ? parsed.output.transition?.modifiedFields?.comment : undefined;
  return reasonFromComment(comment) === undefined
    ? { result: false, errorMessage: REJECT_REASON_MESSAGE }
    : { result: true };
}
