import {
  type DeptGoal,
  decide,
  evolve,
  JIRA_APP_PERSON_ID,
  type VerificationCommand,
  type VerificationStatusName,
  verificationAccounts,
  verificationStatusOf,
} from '@cxplan/core';
import { linksTo, readEntity, type Stored } from '../team-store/plan-reads';
import { applyAndReport, openTeamStore, putOp, type TeamStoreDeps } from '../team-store/team-store';
import { type GoalIssue, type GoalIssues, reasonOnIssue, type VerificationFlag } from './goal-issue';
import { nameLookup, OrganisationConfigStore } from './organisation-config';

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

/** What recording a step needs: the goal epics in Jira and the team store (the goal, the organisation chart). */
export interface StepDeps {
  goals: GoalIssues;
  store: TeamStoreDeps;
}

/**
 * The department goal an epic stands for, from the team store: the epic's `cxplan.goal` property names a goal id,
 * but anyone who may edit the epic may rewrite that property, so the claim is accepted only when the stored goal's
 * issue link — written by the app's sync alone — points back at this very epic. Undefined otherwise.
 */
export async function goalOfEpic(
  store: TeamStoreDeps,
  epic: Pick<GoalIssue, 'issueKey' | 'issueId' | 'property'>,
): Promise<Stored<DeptGoal> | undefined> {
  const claimed = epic.property?.id;
  if (typeof claimed !== 'string' || claimed === '') return undefined;
  const stored = await readEntity(store.sql, 'deptGoals', claimed);
  return stored && !stored.deleted && linksTo(stored.body.jira, epic) ? stored : undefined;
}

/**
 * Records a verification step with the core's `decide`/`evolve`, from data only the app writes: the goal, its
 * recorded verification and the organisation chart come from the team store; only who acted (Jira's event) and the
 * Reject reason (the transition's comment) come from Jira. The new state and history are written to the store as
 * the app's own change (so every paired browser receives it), then mirrored into the epic's `cxplan.goal` property
 * for display and JQL. A step the core refuses is flagged on the epic and not recorded — a post function cannot
 * undo a transition, and a team-managed project has no validator to stop it. Idempotent: the post function and the
 * trigger both see a company-managed transition; the second finds the step recorded.
 */
export async function recordVerificationStep(input: StepInput, deps: StepDeps): Promise<StepOutcome> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await recordOnce(input, deps);
    // Someone else changed the goal's verification between our read and our write (a concurrent step, a metric
    // edit sending it back to draft): decide again on what is there now.
    if (outcome !== 'raced' || attempt >= 2)
      return outcome === 'raced' ? { kind: 'already-recorded' } : outcome;
  }
}

async function recordOnce(input: StepInput, deps: StepDeps): Promise<StepOutcome | 'raced'> {
  await openTeamStore(deps.store);
  const epic = await deps.goals.read(input.issueKey);
  if (epic.property === undefined) return { kind: 'ignored', why: `${input.issueKey} is not a cxplan goal` };
  const toStatus = epic.statusName ?? '';
  const step =
    input.step === 'from-status'
      ? stepInto(verificationStatusOf(toStatus), verificationStatusOf(input.fromStatus ?? ''))
      : input.step;
  if (step === undefined)
    return { kind: 'ignored', why: `the status "${toStatus}" is not a verification step` };

  const flag = async (code: string, message: string): Promise<StepOutcome> => {
    const f: VerificationFlag = {
      at: input.at,
      ...(input.actorId === undefined ? {} : { by: input.actorId }),
      step,
      ...(input.fromStatus === undefined ? {} : { fromStatus: input.fromStatus }),
      toStatus,
      code,
      message,
      seenBy: input.seenBy,
    };
    await deps.goals.addFlag(epic, f);
    return { kind: 'flagged', flag: f };
  };

  const goal = await goalOfEpic(deps.store, epic);
  if (!goal)
    return flag(
      'unknown-goal',
      `${input.issueKey} is not linked to a department goal cxplan holds (its cxplan.goal property was changed or removed, or the goal was deleted), so the move to "${toStatus}" was not recorded`,
    );
  if (goal.body.verification.status === STEP_TARGET[step]) return { kind: 'already-recorded' };
  if (input.actorId === undefined)
    return flag(
      'unknown-actor',
      `Jira did not say who moved ${input.issueKey} to "${toStatus}", so the step cannot be checked`,
    );

  const config = await new OrganisationConfigStore(deps.store).read();
  const nameOf = nameLookup(config.people);
  const decided = decide(goal.body.verification, commandFor(step, input, epic), {
    goal: goal.body,
    departments: config.departments,
    nameOf,
  });
  if (!decided.ok)
    return flag(
      decided.error.code,
      `${nameOf(input.actorId)} moved ${input.issueKey} to "${toStatus}", but ${decided.error.message}`,
    );

  const verification = decided.events.reduce(evolve, goal.body.verification);
  const verificationHistory = [...goal.body.verificationHistory, ...decided.events];
  // The same op id for the post function and the trigger seeing the same step: the second is a duplicate.
  const opId = `wf-${epic.issueId}-${step}-${goal.body.verificationHistory.length}`;
  const { results } = await applyAndReport(
    deps.store,
    JIRA_APP_PERSON_ID,
    [putOp(opId, 'deptGoals', goal.id, goal.version, { verification, verificationHistory })],
    { system: true },
  );
  const result = results[0];
  if (result?.status === 'refused')
    throw new Error(`cxplan could not record the step on ${input.issueKey}: ${result.message}`);
  if (result?.status !== 'applied' && result?.status !== 'duplicate') return 'raced';
  await deps.goals.writeVerification(epic, {
    verification,
    history: verificationHistory,
    accounts: verificationAccounts(
      { ...goal.body, verification, verificationHistory },
      config.departments,
      nameOf,
    ),
  });
  return { kind: 'recorded', step };
}

function commandFor(step: VerificationStep, input: StepInput, epic: GoalIssue): VerificationCommand {
  const by = input.actorId ?? '';
  switch (step) {
    case 'submit':
      return { type: 'submit', by, at: input.at };
    case 'verify':
      return { type: 'verify', by, at: input.at };
    case 'reject':
      return { type: 'reject', by, at: input.at, reason: reasonOnIssue(epic, input.commentId, by) ?? '' };
    case 'withdraw':
      return { type: 'withdraw', by, at: input.at };
  }
}
