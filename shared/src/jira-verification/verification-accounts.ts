import * as v from 'valibot';
import type { DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import type { NameOf } from '../verification/who-may-verify';

/** An Atlassian account with the name shown in messages. */
export const JiraAccountSchema = v.object({
  accountId: v.pipe(
    v.string('must be an Atlassian account id'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
  ),
  displayName: v.optional(v.string()),
});
/** An Atlassian account. */
export type JiraAccount = v.InferOutput<typeof JiraAccountSchema>;

/**
 * The people the "who may verify" rule looks at, as Atlassian accounts, recorded in the `cxplan.goal` property
 * (key `accounts`) by the Submit post function. Jira expressions can only compare `user.accountId` with what the
 * issue carries, so the core's person ids are resolved to accounts once, at submission.
 */
export const VerificationAccountsSchema = v.object({
  /** The up-line manager recorded at submission: the only one who may verify or reject. */
  verifier: v.optional(JiraAccountSchema),
  /** The manager of the goal's department at submission. */
  departmentManager: v.optional(JiraAccountSchema),
  /** The goal's owner. */
  owner: v.optional(JiraAccountSchema),
  /** Who submitted the goal. */
  submitter: v.optional(JiraAccountSchema),
});
/** The accounts recorded for verification. */
export type VerificationAccounts = v.InferOutput<typeof VerificationAccountsSchema>;

/**
 * The accounts a goal's `cxplan.goal` property mirrors for the workflow's Jira expressions, derived from the goal
 * the app holds (its recorded verification, its owner) and the organisation chart as it is now — the same facts
 * the core's "who may verify" rule looks at (`decide` compares with the department's manager as it is now).
 * In the Jira app a person's id is their Atlassian account id, so ids pass through unchanged.
 */
export function verificationAccounts(
  goal: Pick<DeptGoal, 'departmentId' | 'ownerId' | 'verification' | 'verificationHistory'>,
  departments: readonly Department[],
  nameOf: NameOf = (id) => id,
): VerificationAccounts {
  const account = (id: string | undefined): JiraAccount | undefined =>
    id === undefined ? undefined : { accountId: id, displayName: nameOf(id) };
  const state = goal.verification;
  const lastSubmission = [...goal.verificationHistory].reverse().find((e) => e.type === 'submitted');
  const accounts: VerificationAccounts = {};
  const verifier = account('verifierId' in state ? state.verifierId : undefined);
  const departmentManager = account(departments.find((d) => d.id === goal.departmentId)?.managerId);
  const owner = account(goal.ownerId);
  const submitter = account(state.status === 'submitted' ? state.submittedBy : lastSubmission?.by);
  if (verifier) accounts.verifier = verifier;
  if (departmentManager) accounts.departmentManager = departmentManager;
  if (owner) accounts.owner = owner;
  if (submitter) accounts.submitter = submitter;
  return accounts;
}
