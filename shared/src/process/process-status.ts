import { daysWaitingForVerification } from '../analytics/plan-checks';
import type { SourceKind } from '../model/evidence';
import type { Workspace } from '../model/workspace';

/** The steps of the action planning process, in order (DESIGN.md: (a)–(e), with verification as c1/c2). */
export type ProcessStepId =
  | 'gather'
  | 'strategy'
  | 'department-goals'
  | 'verification'
  | 'actions'
  | 'commitment';

/** How far one step of the process is for a cycle. */
export interface StepStatus {
  id: ProcessStepId;
  /** The step's label in the process: a, b, c, c1/c2, d, e. */
  letter: 'a' | 'b' | 'c' | 'c1/c2' | 'd' | 'e';
  title: string;
  done: boolean;
  /** What still has to happen for the step to be done, in plain words; empty when done. */
  missing: string[];
  /** Advice that does not block the step (e.g. a source nobody has heard from yet). */
  notes: string[];
}

/** Where a cycle stands: every step, and the first one not yet done. */
export interface ProcessStatus {
  cycleId: string;
  steps: StepStatus[];
  /** The first step not done, or undefined when the whole process is done for this cycle. */
  next: StepStatus | undefined;
}

/** The process status of a cycle, or why there is none. */
export type ProcessStatusResult = { ok: true; status: ProcessStatus } | { ok: false; message: string };

/** "1 department goal" / "3 department goals". */
function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Picks the singular or plural verb phrase for a count. */
const verb = (n: number, singular: string, plural: string): string => (n === 1 ? singular : plural);

const SOURCE_WORDS: Record<SourceKind, string> = {
  customer: 'customers',
  partner: 'partner organisations',
  manager: 'managers',
  internal: 'internal data',
};

function step(
  id: ProcessStepId,
  letter: StepStatus['letter'],
  title: string,
  missing: string[],
  notes: string[] = [],
): StepStatus {
  return { id, letter, title, done: missing.length === 0, missing, notes };
}

/**
 * Works out which steps of the process are done for a planning cycle and what is missing, in plain words.
 * Evidence belongs to no cycle (it is gathered continuously), so step (a) looks at all of it; every other step
 * looks at the cycle's own goals, actions and sessions. Given `now` (ISO date-time), it also counts goals that have
 * waited for verification longer than the workspace's `verificationOverdueDays`.
 */
export function processStatus(ws: Workspace, cycleId: string, now?: string): ProcessStatusResult {
  if (!ws.cycles.some((c) => c.id === cycleId)) {
    return { ok: false, message: `There is no planning cycle "${cycleId}"` };
  }
  const steps = [
    gatherStep(ws),
    strategyStep(ws, cycleId),
    departmentGoalsStep(ws, cycleId),
    verificationStep(ws, cycleId, now),
    actionsStep(ws, cycleId),
    commitmentStep(ws, cycleId),
  ];
  return { ok: true, status: { cycleId, steps, next: steps.find((s) => !s.done) } };
}

function gatherStep(ws: Workspace): StepStatus {
  if (ws.evidence.length === 0) return step('gather', 'a', 'Gather data', ['no evidence gathered yet']);
  const kinds = new Set(ws.evidence.map((e) => e.sourceKind));
  // The process asks for data from customers, partner organisations and managers; a gap is advice, not a block.
  const notes = (['customer', 'partner', 'manager'] as const)
    .filter((k) => !kinds.has(k))
    .map((k) => `no evidence from ${SOURCE_WORDS[k]} yet`);
  return step('gather', 'a', 'Gather data', [], notes);
}

function strategyStep(ws: Workspace, cycleId: string): StepStatus {
  const missing: string[] = [];
  const evidence = new Set(ws.evidence.map((e) => e.id));
  const goals = ws.orgGoals.filter((g) => g.cycleId === cycleId);
  const uncited = goals.filter((g) => !g.evidenceIds.some((id) => evidence.has(id)));
  if (goals.length === 0) missing.push('no organisation goal set yet');
  else if (uncited.length === goals.length) missing.push('no organisation goal cites evidence yet');
  else if (uncited.length > 0) {
    missing.push(
      `${count(uncited.length, 'organisation goal')} ${verb(uncited.length, 'cites', 'cite')} no evidence that exists`,
    );
  }
  if (!ws.sessions.some((s) => s.cycleId === cycleId && s.kind === 'strategy')) {
    missing.push('no strategy session recorded');
  }
  return step('strategy', 'b', 'Strategy session', missing);
}

function departmentGoalsStep(ws: Workspace, cycleId: string): StepStatus {
  const title = 'Department goals';
  if (ws.departments.length === 0) return step('department-goals', 'c', title, ['no departments set up yet']);
  const goals = ws.deptGoals.filter((g) => g.cycleId === cycleId);
  const withGoal = new Set(goals.map((g) => g.departmentId));
  const missing: string[] = [];
  const without = ws.departments.filter((d) => !withGoal.has(d.id)).length;
  if (without > 0) missing.push(`${count(without, 'department')} ${verb(without, 'has', 'have')} no goal`);
  const noOrgGoal = goals.filter((g) => g.orgGoalId === undefined).length;
  const noObjective = goals.filter((g) => g.businessObjectiveId === undefined).length;
  const noMetric = goals.filter((g) => g.metric === undefined).length;
  if (noOrgGoal > 0) {
    missing.push(
      `${count(noOrgGoal, 'department goal')} ${verb(noOrgGoal, 'is', 'are')} not linked to an organisation goal`,
    );
  }
  if (noObjective > 0) {
    missing.push(
      `${count(noObjective, 'department goal')} ${verb(noObjective, 'names', 'name')} no business objective`,
    );
  }
  if (noMetric > 0)
    missing.push(`${count(noMetric, 'department goal')} ${verb(noMetric, 'has', 'have')} no success metric`);
  return step('department-goals', 'c', title, missing);
}

function verificationStep(ws: Workspace, cycleId: string, now: string | undefined): StepStatus {
  const title = 'Verification by up-line managers';
  const goals = ws.deptGoals.filter((g) => g.cycleId === cycleId);
  if (goals.length === 0) return step('verification', 'c1/c2', title, ['no department goals to verify yet']);
  const by = (status: string): number => goals.filter((g) => g.verification.status === status).length;
  const open = goals.length - by('verified');
  if (open === 0) return step('verification', 'c1/c2', title, []);
  const parts = [
    [by('draft'), 'not yet submitted'],
    [by('submitted'), 'awaiting verification'],
    [by('rejected'), 'rejected, to rework'],
  ] as const;
  const detail = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  const missing = [`${count(open, 'department goal')} not yet verified (${detail.join(', ')})`];
  if (now !== undefined) {
    const days = ws.settings.verificationOverdueDays;
    const nowMs = Date.parse(now);
    // The same rule as the plan checks' "unverified N days after submission" finding.
    const overdue = goals.filter(
      (g) => (daysWaitingForVerification(g.verification, nowMs) ?? 0) > days,
    ).length;
    if (overdue > 0) {
      missing.push(
        `${count(overdue, 'department goal')} ${verb(overdue, 'has', 'have')} waited more than ${days} days for verification`,
      );
    }
  }
  return step('verification', 'c1/c2', title, missing);
}

function actionsStep(ws: Workspace, cycleId: string): StepStatus {
  const title = 'Measurable actions';
  const goals = ws.deptGoals.filter((g) => g.cycleId === cycleId);
  if (goals.length === 0) return step('actions', 'd', title, ['no department goals to act on yet']);
  const actions = ws.actions.filter((a) => a.cycleId === cycleId && a.status !== 'dropped');
  const acted = new Set(actions.map((a) => a.deptGoalId));
  const missing: string[] = [];
  const idle = goals.filter((g) => !acted.has(g.id)).length;
  if (idle > 0) missing.push(`${count(idle, 'department goal')} ${verb(idle, 'has', 'have')} no action`);
  const unmeasured = actions.filter(
    (a) => a.metric === undefined && (a.doneCriterion === undefined || a.doneCriterion.trim() === ''),
  ).length;
  if (unmeasured > 0) {
    missing.push(
      `${count(unmeasured, 'action')} ${verb(unmeasured, 'has', 'have')} neither a metric nor a done-criterion`,
    );
  }
  return step('actions', 'd', title, missing);
}

function commitmentStep(ws: Workspace, cycleId: string): StepStatus {
  const title = 'Commitment session';
  const sessions = ws.sessions.filter((s) => s.cycleId === cycleId && s.kind === 'commitment');
  if (sessions.length === 0) return step('commitment', 'e', title, ['no commitment session recorded']);
  const briefed = new Set(sessions.flatMap((s) => [...s.attendeeIds, ...s.briefedIds]));
  if (briefed.size === 0)
    return step('commitment', 'e', title, ['nobody is recorded as briefed on the plan']);
  const acknowledged = new Set(sessions.flatMap((s) => s.acknowledgements.map((a) => a.personId)));
  const pending = [...briefed].filter((id) => !acknowledged.has(id)).length;
  return step(
    'commitment',
    'e',
    title,
    pending === 0
      ? []
      : [
          `${count(pending, 'person', 'people')} briefed ${verb(pending, 'has', 'have')} not acknowledged the plan`,
        ],
  );
}
