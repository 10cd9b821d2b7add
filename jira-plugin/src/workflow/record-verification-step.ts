import {
  decide,
  evolve,
  type SuccessMetric,
  SuccessMetricSchema,
  type VerificationAccounts,
  type VerificationCommand,
  type VerificationStatusName,
  verificationStatusOf,
} from '@cxplan/core';
import * as v from 'valibot';
import { type GoalIssue, type GoalIssues, reasonOnIssue, type VerificationFlag } from './goal-issue';
import { nameLookup, type OrganisationConfig } from './organisation-config';

/** A verification step seen in Jira: a transition into Submitted, Verified, Rejected (or back to Draft). */
export type VerificationStep = 'submit' | 'verify' | 'reject' | 'withdraw';

/** What Jira did, as a post function or the issue-updated trigger saw it. */
export interface StepInput {
  issueKey: string;
  /** The step, or `from-status` to derive it from the epic's status now (post functions run after the move). */
  step: VerificationStep | 'from-status';
  actorId: string | undefined;
  at: string;
  /** The comment added on the transition (the Reject reason), when Jira says which. */
  commentId?: string | undefined;
  fromStatus?: string | undefined;
  seenBy: VerificationFlag['seenBy'];
}

/** What recording a step did. */
export type StepOutcome =
  | { kind: 'ignored'; why: string }
  | { kind: 'already-recorded' }
  | { kind: 'recorded'; step: VerificationStep }
  | { kind: 'flagged'; flag: VerificationFlag };

const STEP_TARGET: Record<VerificationStep, VerificationStatusName> = {
  submit: 'submitted',
  verify: 'verified',
  reject: 'rejected',
  withdraw: 'draft',
};

/** The step a move into this verification status stands for. */
export function stepInto(
  to: VerificationStatusName | undefined,
  from: VerificationStatusName | undefined,
): VerificationStep | undefined {
  if (to === 'submitted') return 'submit';
  if (to === 'verified') return 'verify';
  if (to === 'rejected') return 'reject';
  // Back to Draft only matters while someone is checking the goal; Rejected → Draft is ordinary rework.
  if (to === 'draft' && from === 'submitted') return 'withdraw';
  return undefined;
}

/** What the step records and needs: the store of goal epics and the organisation configuration. */
export interface StepDeps {
  goals: GoalIssues;
  readConfig(): Promise<OrganisationConfig>;
}

/**
 * Records a verification step on a goal epic with the core's `decide`/`evolve`: the new state, the history
 * event and (on Submit) the accounts the workflow condition compares. A step the core refuses is flagged on
 * the epic — a post function cannot undo a transition, and a team-managed project has no validator to stop it.
 * Idempotent: a step already recorded (the post function and the trigger both see a transition) changes nothing.
 */
export async function recordVerificationStep(input: StepInput, deps: StepDeps): Promise<StepOutcome> {
  const goal = await deps.goals.read(input.issueKey);
  if (goal.property === undefined) return { kind: 'ignored', why: `${input.issueKey} is not a cxplan goal` };
  const toStatus = goal.statusName ?? '';
  const step =
    input.step === 'from-status'
      ? stepInto(verificationStatusOf(toStatus), verificationStatusOf(input.fromStatus ?? ''))
      : input.step;
  if (step === undefined)
    return { kind: 'ignored', why: `the status "${toStatus}" is not a verification step` };
  if (goal.verification.status === STEP_TARGET[step]) return { kind: 'already-recorded' };

  const flag = (code: string, message: string): VerificationFlag => ({
    at: input.at,
    ...(input.actorId === undefined ? {} : { by: input.actorId }),
    step,
    ...(input.fromStatus === undefined ? {} : { fromStatus: input.fromStatus }),
    toStatus,
    code,
    message,
    seenBy: input.seenBy,
  });
  const refuse = async (code: string, message: string): Promise<StepOutcome> => {
    const f = flag(code, message);
    await deps.goals.addFlag(goal, f);
    return { kind: 'flagged', flag: f };
  };

  if (input.actorId === undefined) {
    return refuse(
      'unknown-actor',
      `Jira did not say who moved ${input.issueKey} to "${toStatus}", so the step cannot be checked`,
    );
  }
  const config = await deps.readConfig();
  const nameOf = nameLookup(config.people);
  const command = commandFor(step, input, goal);
  // Submission looks at the owner now (the epic's assignee); a verdict at the owner recorded at submission,
  // which is what the manifest's condition and validator see.
  const ownerId =
    step === 'submit'
      ? (goal.assignee?.accountId ?? goal.accounts.owner?.accountId)
      : (goal.accounts.owner?.accountId ?? goal.assignee?.accountId);
  const decided = decide(goal.verification, command, {
    goal: {
      departmentId: goal.departmentId ?? '',
      orgGoalId: stringOf(goal.property.orgGoalId),
      businessObjectiveId: stringOf(goal.property.businessObjectiveId),
      metric: metricOf(goal.property.metric),
      ownerId,
    },
    departments: config.departments,
    nameOf,
  });
  if (!decided.ok)
    return refuse(
      decided.error.code,
      `${nameOf(input.actorId)} moved ${input.issueKey} to "${toStatus}", but ${decided.error.message}`,
    );

  // The post function and the trigger both see a company-managed transition: look again right before writing
  // so the second one finds the step recorded (narrows, cannot close, the window of a concurrent double write).
  const latest = await deps.goals.read(input.issueKey);
  if (latest.verification.status === STEP_TARGET[step]) return { kind: 'already-recorded' };
  const verification = decided.events.reduce(evolve, goal.verification);
  const accounts =
    step === 'submit' ? submissionAccounts(goal, config, verification, input.actorId, nameOf) : goal.accounts;
  await deps.goals.writeVerification(goal, {
    verification,
    history: [...goal.history, ...decided.events],
    accounts,
  });
  return { kind: 'recorded', step };
}

function commandFor(step: VerificationStep, input: StepInput, goal: GoalIssue): VerificationCommand {
  const by = input.actorId ?? '';
  switch (step) {
    case 'submit':
      return { type: 'submit', by, at: input.at };
    case 'verify':
      return { type: 'verify', by, at: input.at };
    case 'reject':
      return { type: 'reject', by, at: input.at, reason: reasonOnIssue(goal, input.commentId, by) ?? '' };
    case 'withdraw':
      return { type: 'withdraw', by, at: input.at };
  }
}

/** The accounts recorded at submission, so the manifest's Jira expressions can apply the core rule. */
function submissionAccounts(
  goal: GoalIssue,
  config: OrganisationConfig,
  verification: ReturnType<typeof evolve>,
  submitter: string,
  nameOf: (id: string) => string,
): VerificationAccounts {
  const account = (id: string | undefined): { accountId: string; displayName: string } | undefined =>
    id === undefined ? undefined : { accountId: id, displayName: nameOf(id) };
  const department = config.departments.find((d) => d.id === goal.departmentId);
  const owner = goal.assignee?.accountId;
  const accounts: VerificationAccounts = {};
  const verifier = account('verifierId' in verification ? verification.verifierId : undefined);
  const manager = account(department?.managerId);
  const ownerAccount =
    owner === undefined
      ? undefined
      : { accountId: owner, displayName: goal.assignee?.displayName ?? nameOf(owner) };
  if (verifier) accounts.verifier = verifier;
  if (manager) accounts.departmentManager = manager;
  if (ownerAccount) accounts.owner = ownerAccount;
  accounts.submitter = { accountId: submitter, displayName: nameOf(submitter) };
  return accounts;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function metricOf(value: unknown): SuccessMetric | undefined {
  const parsed = v.safeParse(SuccessMetricSchema, value);
  return parsed.success ? parsed.output : undefined;
}
