import * as v from 'valibot';

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
