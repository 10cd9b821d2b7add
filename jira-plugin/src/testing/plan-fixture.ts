import {
  ActionSchema,
  DepartmentSchema,
  DeptGoalSchema,
  OrgGoalSchema,
  parseOrThrow,
  type SyncWorkspace,
} from '@cxplan/core';

/** The cycle every fixture entity belongs to. */
export const CYCLE_ID = 'cycle-2026';

/** A valid plan of `goals` department goals with `actionsPerGoal` actions each, parsed through the core's schemas. */
export function planFixture(goals = 20, actionsPerGoal = 50): SyncWorkspace {
  const departments = [
    parseOrThrow(DepartmentSchema, { id: 'dept-support', name: 'Support' }),
    parseOrThrow(DepartmentSchema, { id: 'dept-sales', name: 'Sales' }),
  ];
  const metric = {
    name: 'First-contact resolution',
    unit: '%',
    direction: 'increase',
    baseline: 61,
    target: 75,
    due: '2026-12-31',
  };
  const orgGoals = [
    parseOrThrow(OrgGoalSchema, {
      id: 'org-1',
      cycleId: CYCLE_ID,
      title: 'Customers get answers first time',
      metric,
      evidenceIds: ['e1'],
    }),
  ];
  const deptGoals = Array.from({ length: goals }, (_, g) =>
    parseOrThrow(DeptGoalSchema, {
      id: `goal-${g + 1}`,
      cycleId: CYCLE_ID,
      departmentId: departments[g % 2]?.id,
      title: `Goal ${g + 1}: resolve more on first contact`,
      orgGoalId: 'org-1',
      metric: { ...metric, name: `FCR team ${g + 1}` },
    }),
  );
  const actions = deptGoals.flatMap((goal, g) =>
    Array.from({ length: actionsPerGoal }, (_, a) =>
      parseOrThrow(ActionSchema, {
        id: `action-${g + 1}-${a + 1}`,
        cycleId: CYCLE_ID,
        deptGoalId: goal.id,
        title: `Action ${a + 1} of goal ${g + 1}`,
        doneCriterion: 'Runbook published and team trained',
        due: '2026-10-31',
        component: (['people', 'process', 'technology'] as const)[a % 3],
      }),
    ),
  );
  return {
    organisation: { name: 'Acme', businessObjectives: [] },
    departments,
    orgGoals,
    deptGoals,
    actions,
  };
}

/** A clock whose sleeps only move time forward: a 429 storm in a test takes no real time. */
export class FakeClock {
  readonly sleeps: number[] = [];
  constructor(public time = 1_800_000_000_000) {}
  now = (): number => this.time;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
  };
}
