import * as v from 'valibot';
import { IdSchema } from '../model/common';
import { ActionSchema, DeptGoalSchema, OrgGoalSchema } from '../model/goals';

/**
 * One cycle's plan as the Jira app keeps it: organisation goals, department goals and actions. Imported from
 * the extension (or a backup) and updated by every sync with what flowed back from Jira.
 */
export const PlanSliceSchema = v.pipe(
  v.object({
    cycleId: IdSchema,
    orgGoals: v.array(OrgGoalSchema),
    deptGoals: v.array(DeptGoalSchema),
    actions: v.array(ActionSchema),
  }),
  v.check(
    (slice) =>
      [...slice.orgGoals, ...slice.deptGoals, ...slice.actions].every(
        (item) => item.cycleId === slice.cycleId,
      ),
    'every goal and action must belong to the slice’s cycle',
  ),
  v.check((slice) => {
    const goals = new Set(slice.deptGoals.map((g) => g.id));
    return slice.actions.every((a) => goals.has(a.deptGoalId));
  }, 'every action must belong to a department goal of the slice'),
);
/** One cycle's plan as the Jira app keeps it. */
export type PlanSlice = v.InferOutput<typeof PlanSliceSchema>;
