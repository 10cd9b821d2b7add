import { verificationStatusOf } from '@cxplan/core';
import * as v from 'valibot';
import {
  recordVerificationStep,
  type StepDeps,
  type StepOutcome,
  stepInto,
} from './record-verification-step';
import { workflowDeps } from './workflow-deps';

/** The Jira event this trigger subscribes to (checked against `@forge/manifest`'s event mapping in tests). */
export const RECONCILE_EVENT = 'avi:jira:updated:issue';

const IssueUpdatedSchema = v.object({
  issue: v.object({ key: v.string() }),
  atlassianId: v.optional(v.string()),
  changelog: v.optional(
    v.nullable(
      v.object({
        items: v.optional(
          v.array(
            v.object({
              field: v.optional(v.string()),
              fieldId: v.optional(v.string()),
              fromString: v.optional(v.nullable(v.string())),
              toString: v.optional(v.nullable(v.string())),
            }),
          ),
          [],
        ),
      }),
    ),
  ),
});

/**
 * `trigger` on `avi:jira:updated:issue`: when a goal epic's status changed into a verification status, records
 * the step with the same core rule the workflow modules apply. This covers transitions made where workflow
 * modules do not run (team-managed projects, a workflow without cxplan's rules) and flags those the rule refuses.
 * A step the post function already recorded is left alone.
 */
export async function reconcileStatusChange(
  event: unknown,
  deps: StepDeps,
  now: () => Date,
): Promise<StepOutcome> {
  const parsed = v.safeParse(IssueUpdatedSchema, event);
  if (!parsed.success)
    return { kind: 'ignored', why: `unreadable issue-updated event: ${parsed.issues[0].message}` };
  const status = parsed.output.changelog?.items.find((i) => i.fieldId === 'status' || i.field === 'status');
  if (status === undefined) return { kind: 'ignored', why: 'no status change' };
  const from = status.fromString ?? undefined;
  const step = stepInto(verificationStatusOf(status.toString ?? ''), verificationStatusOf(from ?? ''));
  if (step === undefined)
    return { kind: 'ignored', why: `"${status.toString}" is not a verification status` };
  return recordVerificationStep(
    {
      issueKey: parsed.output.issue.key,
      step,
      actorId: parsed.output.atlassianId,
      at: now().toISOString(),
      fromStatus: from,
      seenBy: 'trigger',
    },
    deps,
  );
}

/** The Forge function: Jira calls it with the event (and a context the app does not need). */
export const handler = (event: unknown): Promise<StepOutcome> =>
  reconcileStatusChange(event, workflowDeps(), () => new Date());
