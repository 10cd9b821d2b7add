import {
  GOAL_PROPERTY,
  parseWith,
  reasonFromComment,
  type VerificationAccounts,
  VerificationAccountsSchema,
  type VerificationEvent,
  VerificationEventSchema,
  type VerificationState,
  VerificationStateSchema,
} from '@cxplan/core';
import * as v from 'valibot';
import type { JiraClient } from '../jira-client/jira-client';

/** Issue property holding verification steps that broke the rule or could not be recorded (never silently dropped). */
export const VERIFICATION_FLAGS_PROPERTY = 'cxplan.verification-flags';

/** A verification step Jira performed that the core rule refused, or that could not be recorded. */
export const VerificationFlagSchema = v.object({
  at: v.string(),
  by: v.optional(v.string()),
  step: v.picklist(['submit', 'verify', 'reject', 'withdraw']),
  fromStatus: v.optional(v.string()),
  toStatus: v.string(),
  code: v.string(),
  message: v.string(),
  /** Where the step was seen: a workflow post function, or the issue-updated trigger (e.g. a team-managed project). */
  seenBy: v.picklist(['post-function', 'trigger']),
});
/** A flagged verification step. */
export type VerificationFlag = v.InferOutput<typeof VerificationFlagSchema>;

const FlagsPropertySchema = v.object({ v: v.literal(1), flags: v.array(VerificationFlagSchema) });

/** Flags kept per issue: the newest ones, enough for the issue panel and the admin page. */
const MAX_FLAGS = 20;

const GoalIssueSchema = v.object({
  id: v.string(),
  key: v.string(),
  fields: v.object({
    status: v.optional(v.object({ name: v.optional(v.string()) })),
    assignee: v.optional(
      v.nullable(v.object({ accountId: v.string(), displayName: v.optional(v.string()) })),
    ),
    comment: v.optional(
      v.nullable(
        v.object({
          comments: v.optional(
            v.array(
              v.object({
                id: v.string(),
                author: v.optional(v.object({ accountId: v.string() })),
                body: v.unknown(),
              }),
            ),
            [],
          ),
        }),
      ),
    ),
  }),
  properties: v.optional(v.record(v.string(), v.unknown()), {}),
});

/** The verification-relevant view of a department-goal epic. */
export interface GoalIssue {
  issueKey: string;
  issueId: string;
  statusName: string | undefined;
  /** The epic's assignee: in Jira the goal's owner. */
  assignee: { accountId: string; displayName?: string | undefined } | undefined;
  /**
   * The raw `cxplan.goal` property (undefined when the epic is not a cxplan goal); unknown keys are kept on write.
   * Anyone who may edit the issue may rewrite it: the app reads from it only which goal the epic claims to be (a
   * hint checked against the goal's issue link in the team store) and mirrors its own record into it.
   */
  property: Record<string, unknown> | undefined;
  departmentId: string | undefined;
  verification: VerificationState;
  history: VerificationEvent[];
  accounts: VerificationAccounts;
  flags: VerificationFlag[];
  comments: ReadonlyArray<{ id: string; authorId: string | undefined; body: unknown }>;
}

/** Reads and writes a goal epic's verification record through the app's Jira client (the only REST layer). */
export class GoalIssues {
  constructor(private readonly client: JiraClient) {}

  /** Reads the epic's status, assignee, comments and cxplan properties. */
  async read(issueKey: string): Promise<GoalIssue> {
    const raw = await this.client.getIssue(
      issueKey,
      ['status', 'assignee', 'comment'],
      [GOAL_PROPERTY, VERIFICATION_FLAGS_PROPERTY],
    );
    const parsed = parseWith(GoalIssueSchema, raw, `issue ${issueKey}`);
    if (!parsed.ok)
      throw new Error(
        `Jira answered an unreadable issue ${issueKey}: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      );
    const issue = parsed.value;
    const property = asRecord(issue.properties[GOAL_PROPERTY]);
    const state = parseWith(VerificationStateSchema, property?.verification ?? { status: 'draft' });
    const history = parseWith(v.array(VerificationEventSchema), property?.verificationHistory ?? []);
    const accounts = parseWith(VerificationAccountsSchema, property?.accounts ?? {});
    const flags = parseWith(
      FlagsPropertySchema,
      issue.properties[VERIFICATION_FLAGS_PROPERTY] ?? { v: 1, flags: [] },
    );
    return {
      issueKey: issue.key,
      issueId: issue.id,
      statusName: issue.fields.status?.name,
      assignee: issue.fields.assignee ?? undefined,
      property,
      departmentId: typeof property?.departmentId === 'string' ? property.departmentId : undefined,
      // An unreadable record is treated as a draft rather than guessed at; the history stays as stored.
      verification: state.ok ? state.value : { status: 'draft' },
      history: history.ok ? history.value : [],
      accounts: accounts.ok ? accounts.value : {},
      flags: flags.ok ? flags.value.flags : [],
      comments: (issue.fields.comment?.comments ?? []).map((c) => ({
        id: c.id,
        authorId: c.author?.accountId,
        body: c.body,
      })),
    };
  }

  /** Writes the new verification state, history and accounts into `cxplan.goal`, keeping every other key. */
  async writeVerification(
    goal: GoalIssue,
    update: { verification: VerificationState; history: VerificationEvent[]; accounts: VerificationAccounts },
  ): Promise<void> {
    if (goal.property === undefined) throw new Error(`${goal.issueKey} has no ${GOAL_PROPERTY} property`);
    await this.client.setIssueProperty(goal.issueKey, GOAL_PROPERTY, {
      ...goal.property,
      verification: update.verification,
      verificationHistory: update.history,
      accounts: update.accounts,
    });
  }

  /** Appends a flag (keeping the newest {@link MAX_FLAGS}). */
  async addFlag(goal: GoalIssue, flag: VerificationFlag): Promise<void> {
    const flags = [...goal.flags, flag].slice(-MAX_FLAGS);
    await this.client.setIssueProperty(goal.issueKey, VERIFICATION_FLAGS_PROPERTY, { v: 1, flags });
  }
}

/** The reason text of a comment on the goal: by id (the transition's comment), else the actor's newest one. */
export function reasonOnIssue(
  goal: GoalIssue,
  commentId: string | undefined,
  actorId: string,
): string | undefined {
  const comment =
    commentId !== undefined
      ? goal.comments.find((c) => c.id === commentId)
      : [...goal.comments].reverse().find((c) => c.authorId === actorId);
  return comment === undefined ? undefined : reasonFromComment({ body: comment.body });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
