import { parsePostFunctionEvent } from './post-function-event';
import { recordVerificationStep, type StepDeps, type StepOutcome } from './record-verification-step';
import { workflowDeps } from './workflow-deps';

/**
 * `jira:workflowPostFunction` on *Submit for verification*: records the submission with the core machine and
 * the up-line manager (resolved from the department configuration) as the only account that may verify.
 */
export async function handler(
  event: unknown,
  deps: StepDeps = workflowDeps(),
  now: () => Date = () => new Date(),
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
