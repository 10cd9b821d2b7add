import { parsePostFunctionEvent } from './post-function-event';
import { recordVerificationStep, type StepDeps, type StepOutcome } from './record-verification-step';
import { workflowDeps } from './workflow-deps';

/**
 * `jira:workflowPostFunction` on *Submit for verification*: records the submission with the core machine and
 * the up-line manager (resolved from the department configuration) as the only account that may verify.
 */
export async function recordSubmission(
  event: unknown,
  deps: StepDeps,
  now: () => Date,
): Promise<StepOutcome> {
  const parsed = parsePostFunctionEvent(event);
  return recordVerificationStep(
    {
      issueKey: parsed.issue.key,
      step: 'submit',
      actorId: parsed.atlassianId,
      at: now().toISOString(),
      seenBy: 'post-function',
    },
    deps,
  );
}

/** The Forge function: Jira calls it with the event (and a context the app does not need). */
export const handler = (event: unknown): Promise<StepOutcome> =>
  recordSubmission(event, workflowDeps(), () => new Date());
