import type { DeptGoal } from '../model/goals';
import type { SuccessMetric } from '../model/metric';
import type { Department } from '../model/organisation';
import type { VerificationEvent } from '../model/verification-state';
import { decide, evolve, type VerificationCommand, type VerificationError } from './verification-machine';
import type { NameOf } from './who-may-verify';

/** The organisation chart and display names a command on a stored goal needs. */
export interface GoalCommandContext {
  departments: readonly Department[];
  nameOf?: NameOf;
}

/** A department goal after a command: the updated goal and the events appended to its history, or the error. */
export type GoalCommandResult =
  | { ok: true; goal: DeptGoal; events: VerificationEvent[] }
  | { ok: false; error: VerificationError };

/**
 * Runs a verification command against a stored department goal: decides, then evolves its state and appends
 * the events to its history. The input goal is not modified.
 */
export function applyToDeptGoal(
  goal: DeptGoal,
  command: VerificationCommand,
  context: GoalCommandContext,
): GoalCommandResult {
  const decided = decide(goal.verification, command, {
    goal,
    departments: context.departments,
    ...(context.nameOf === undefined ? {} : { nameOf: context.nameOf }),
  });
  if (!decided.ok) return decided;
  return {
    ok: true,
    events: decided.events,
    goal: {
      ...goal,
      verification: decided.events.reduce(evolve, goal.verification),
      verificationHistory: [...goal.verificationHistory, ...decided.events],
    },
  };
}

/**
 * True when a metric's definition changed (name, unit, direction, baseline, target or due date). Adding or
 * correcting readings is progress, not an edit, and does not send a verified goal back.
 */
export function metricDefinitionChanged(
  before: SuccessMetric | undefined,
  after: SuccessMetric | undefined,
): boolean {
  if (before === undefined || after === undefined) return before !== after;
  return (
    before.name !== after.name ||
    before.unit !== after.unit ||
    before.direction !== after.direction ||
    before.baseline !== after.baseline ||
    before.target !== after.target ||
    before.due !== after.due
  );
}

/**
 * Replaces a department goal's metric. When the definition changed on a submitted or verified goal, the goal
 * goes back to draft (recorded in its history) so the up-line manager verifies what will actually be measured.
 */
export function editDeptGoalMetric(
  goal: DeptGoal,
  metric: SuccessMetric | undefined,
  by: string,
  at: string,
  context: GoalCommandContext,
): GoalCommandResult {
  const { metric: _old, ...rest } = goal;
  const updated: DeptGoal = metric === undefined ? rest : { ...rest, metric };
  if (!metricDefinitionChanged(goal.metric, metric)) return { ok: true, goal: updated, events: [] };
  return applyToDeptGoal(updated, { type: 'edit-metric', by, at }, context);
}
