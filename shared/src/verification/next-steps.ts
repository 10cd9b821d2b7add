import type { DeptGoal } from '../model/index';
import { applyToDeptGoal, type GoalCommandContext } from './apply-to-goal';

/** A verification step a person could take on a goal. */
export type VerificationStep = 'submit' | 'withdraw' | 'verify' | 'reject';

/** Whether a person may take a step now, and if not, the core's sentence saying why. */
export type StepOption =
  | { step: VerificationStep; allowed: true }
  | { step: VerificationStep; allowed: false; why: string };

const STEPS: readonly VerificationStep[] = ['submit', 'withdraw', 'verify', 'reject'];

/**
 * The verification steps that fit the goal's state, each allowed for `personId` or not with the reason, decided by
 * the machine itself (`decide`, through `applyToDeptGoal`) at `at`, so a screen offers exactly what would succeed.
 * Steps that make no sense in the state (verifying a draft) are left out. A rejection's reason is asked for when
 * it is made: here it is taken as given, so only the person's right and the state decide.
 */
export function verificationOptions(
  goal: DeptGoal,
  personId: string,
  at: string,
  context: GoalCommandContext,
): StepOption[] {
  const out: StepOption[] = [];
  for (const step of STEPS) {
    const command =
      step === 'reject'
        ? { type: step, by: personId, at, reason: 'given when rejecting' }
        : { type: step, by: personId, at };
    const r = applyToDeptGoal(goal, command, context);
    if (r.ok) out.push({ step, allowed: true });
    else if (r.error.code !== 'illegal-transition') out.push({ step, allowed: false, why: r.error.message });
  }
  return out;
}
