import type { Action, DeptGoal } from '../model/goals';
import type { JiraPull } from './sync-plan';

/** A workspace slice that pulls can be applied to. */
export interface PullTarget {
  readonly deptGoals: readonly DeptGoal[];
  readonly actions: readonly Action[];
}

/**
 * Applies what flowed back from Jira (issue links, summaries, action statuses) to the plan, returning new
 * arrays and leaving everything else untouched. Pulls for entities no longer in the plan are ignored.
 */
export function applyJiraPulls<T extends PullTarget>(
  target: T,
  pulls: readonly JiraPull[],
  syncedAt: string,
): T {
  const goalPulls = new Map<string, JiraPull[]>();
  const actionPulls = new Map<string, JiraPull[]>();
  for (const pull of pulls) {
    const toGoal = pull.kind !== 'status' && pull.entity === 'goal';
    const map = toGoal ? goalPulls : actionPulls;
    const list = map.get(pull.coreId) ?? [];
    list.push(pull);
    map.set(pull.coreId, list);
  }
  const deptGoals = target.deptGoals.map((goal) => {
    const mine = goalPulls.get(goal.id);
    if (!mine) return goal;
    let next: DeptGoal = goal;
    for (const pull of mine) {
      if (pull.kind === 'link')
        next = { ...next, jira: { issueKey: pull.issueKey, issueId: pull.issueId, syncedAt } };
      if (pull.kind === 'title') next = { ...next, title: pull.title };
    }
    return next;
  });
  const actions = target.actions.map((action) => {
    const mine = actionPulls.get(action.id);
    if (!mine) return action;
    let next: Action = action;
    for (const pull of mine) {
      if (pull.kind === 'link')
        next = { ...next, jira: { issueKey: pull.issueKey, issueId: pull.issueId, syncedAt } };
      if (pull.kind === 'title') next = { ...next, title: pull.title };
      if (pull.kind === 'status') next = { ...next, status: pull.status };
    }
    return next;
  });
  return { ...target, deptGoals, actions };
}
