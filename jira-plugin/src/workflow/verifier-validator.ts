import {
  type VerificationAccounts,
  VerificationAccountsSchema,
  verificationAccounts,
  whoMayVerify,
} from '@cxplan/core';
import api from '@forge/api';
import * as v from 'valibot';
import { JiraClient } from '../jira-client/jira-client';
import { openTeamStore, TeamStoreSettingUp, teamStoreDeps } from '../team-store/team-store';
import { GoalIssues } from './goal-issue';
import { nameLookup, OrganisationConfigStore } from './organisation-config';
import { goalOfEpic, type StepDeps } from './record-verification-step';
import type { ValidatorResult } from './reject-reason-validator';

/**
 * What Forge passes a `jira:workflowValidator` function, as documented (developer.atlassian.com/platform/forge/
 * manifest-reference/modules/jira-workflow-validator, "Validating with lambda functions"): the issue key, the
 * transition (from, to, the fields changed on its screen) and the rule's configuration — not who is transitioning.
 */
const ValidatorEventSchema = v.object({
  issue: v.object({ key: v.string() }),
  transition: v.optional(v.object({ from: v.optional(v.unknown()), to: v.optional(v.unknown()) })),
});

const refuse = (errorMessage: string): ValidatorResult => ({ result: false, errorMessage });

/**
 * `jira:workflowValidator` (function) on *Verify* and *Reject*: the authority on who may verify, from data only the
 * app writes. It refuses unless the department goal the epic stands for (its issue link in the team store points
 * back at the epic) awaits verification in the team store, and the accounts the epic's `cxplan.goal` property
 * mirrors — the facts the identity validator compares Jira's `user` with — are exactly those the core rule takes
 * from the stored goal and organisation: the up-line manager recorded at submission, the department's manager, the
 * goal's owner and who submitted it. A property rewritten by anyone with edit rights (say, naming themselves the
 * verifier) is restored from the store and the transition refused; deleted or unreadable, the transition is refused
 * too. It never throws: a failure to read refuses with a sentence, and nothing changes.
 */
export async function validateVerifier(event: unknown, deps: StepDeps): Promise<ValidatorResult> {
  const parsed = v.safeParse(ValidatorEventSchema, event);
  if (!parsed.success)
    return refuse('cxplan could not tell which issue this transition is for; nothing changed.');
  const issueKey = parsed.output.issue.key;
  try {
    await openTeamStore(deps.store);
    const epic = await deps.goals.read(issueKey);
    const goal = await goalOfEpic(deps.store, epic);
    if (!goal)
      return refuse(
        `${issueKey} is not linked to a department goal cxplan holds (its cxplan.goal record is missing or was changed outside cxplan), so nobody can verify or reject it here; the next cxplan sync restores the record.`,
      );
    const config = await new OrganisationConfigStore(deps.store).read();
    const nameOf = nameLookup(config.people);
    const state = goal.body.verification;
    if (state.status !== 'submitted') {
      const rule = whoMayVerify(
        {
          actorId: '',
          recordedVerifierId: undefined,
          departmentManagerId: undefined,
          ownerId: undefined,
          submittedBy: undefined,
        },
        nameOf,
      );
      return refuse(rule.allowed ? 'This goal is not awaiting verification.' : rule.message);
    }
    const expected = verificationAccounts(goal.body, config.departments, nameOf);
    if (!mirrors(epic.property, expected)) {
      await deps.goals.writeVerification(epic, {
        verification: state,
        history: goal.body.verificationHistory,
        accounts: expected,
      });
      return refuse(
        `The verification record on ${issueKey} did not match cxplan's own (it was changed outside cxplan, or the organisation changed since it was written) and has been restored. Only the up-line manager recorded at submission (${nameOf(state.verifierId)}) may verify this goal: if that is you, try again.`,
      );
    }
    return { result: true };
  } catch (error) {
    console.error('cxplan verifier validator', error instanceof Error ? error.message : String(error));
    return refuse(
      error instanceof TeamStoreSettingUp
        ? `${error.message} Nothing was changed.`
        : 'cxplan could not check who may verify this goal just now; nothing was changed. Try again in a minute.',
    );
  }
}

/** True when the property claims exactly the submitted record and accounts the store holds. */
function mirrors(property: Record<string, unknown> | undefined, expected: VerificationAccounts): boolean {
  const status = (property?.verification as { status?: unknown } | undefined)?.status;
  const accounts = v.safeParse(VerificationAccountsSchema, property?.accounts);
  if (status !== 'submitted' || !accounts.success) return false;
  const roles = ['verifier', 'departmentManager', 'owner', 'submitter'] as const;
  return roles.every((role) => accounts.output[role]?.accountId === expected[role]?.accountId);
}

/** The Forge function: Jira calls it with the transition (as the app: validators cannot act as the user). */
export const handler = (event: unknown): Promise<ValidatorResult> =>
  validateVerifier(event, { goals: new GoalIssues(new JiraClient(api.asApp())), store: teamStoreDeps() });
