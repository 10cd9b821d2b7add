import { parsePostFunctionEvent } from './post-function-event';
import { recordVerificationStep, type StepDeps, type StepOutcome } from './record-verification-step';
import { workflowDeps } from './workflow-deps';

/**
 * `jira:workflowPostFunction` on *Verify* and *Reject*: records who, when and (for Reject) the reason — the
 * comment added on the transition — and moves the core verification state. Which one it was is read from
 * the epic's status after the transition, so one module serves both transitions.
 */
export async function recordVerdict(event: unknown, deps: StepDeps, now: () => Date): Promise<StepOutcome> {
  const parsed = parsePostFunctionEvent(event);
  const commentId = parsed.comment?.id;
  return recordVerificationStep(
    {
      issueKey: parsed.issue.key,
      step: 'from-status',
      actorId: parsed.atlassianId,
      at: now().toISOString(),
      commentId: commentId === undefined ? undefined : String(commentId),
      seenBy: 'post-function',
    },
    deps,
  );
}

/** The Forge function: Jira calls it with the event (and a context the app does not need). */
export const handler = (event: unknown): Promise<StepOutcome> =>
  recordVerdict(event, workflowDeps(), () => new Date());
