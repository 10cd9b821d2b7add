import {
  buildCommitmentOverview,
  computeHeatMap,
  type DeptGoal,
  emptyWorkspace,
  type NodeProgress,
  type PlanSlice,
  planChecks,
  processStatus,
  rollUp,
  type VerificationState,
  type Workspace,
} from '@cxplan/core';
import type { OrganisationConfig } from '../workflow/organisation-config';

/** Progress of one node as the page draws it. */
export interface ProgressView {
  /** In [0, 1]. */
  progress: number;
  status: NodeProgress['status'];
}

/** An action under a department goal. */
export interface ActionView extends ProgressView {
  id: string;
  title: string;
  issueKey?: string;
  actionStatus: string;
}

/** A department goal (an epic) with its verification and actions. */
export interface DeptGoalView extends ProgressView {
  id: string;
  title: string;
  department: string;
  issueKey?: string;
  verification: VerificationState['status'];
  actions: ActionView[];
}

/** An organisation goal with the department goals that serve it. */
export interface OrgGoalView extends ProgressView {
  id: string;
  title: string;
  deptGoals: DeptGoalView[];
}

/** Everything the project page shows for one cycle; plain JSON (it crosses the bridge). */
export interface ProjectPlanView {
  cycles: Array<{ id: string; name: string }>;
  cycleId: string | undefined;
  overall: number | undefined;
  orgGoals: OrgGoalView[];
  /** Department goals not linked to an organisation goal of the cycle. */
  unlinked: DeptGoalView[];
  heatMap: Array<{
    rank: number;
    event: string;
    stage: string;
    score: number;
    volume: number;
    negativeShare: number;
  }>;
  checks: Array<{ severity: 'critical' | 'warning' | 'info'; message: string }>;
  /** Where the process stands: steps (a)–(e), done or what is missing. */
  process: Array<{ letter: string; title: string; done: boolean; missing: string[] }>;
  /** The commitment overview (core `buildCommitmentOverview`): who committed what, who acknowledged the plan. */
  commitment:
    | {
        contributions: Array<{ person: string; statement: string }>;
        acknowledgements: Array<{ department: string; acknowledged: number; total: number }>;
      }
    | undefined;
}

/** The workspace the core analytics read: the configured organisation plus the cycle's plan kept by the sync. */
export function workspaceOf(config: OrganisationConfig, plan: PlanSlice | undefined): Workspace {
  const ws = emptyWorkspace(config.organisation.name);
  return {
    ...ws,
    organisation: config.organisation,
    departments: config.departments,
    people: config.people,
    cycles: config.cycles,
    orgGoals: plan?.orgGoals ?? [],
    deptGoals: plan?.deptGoals ?? [],
    actions: plan?.actions ?? [],
    settings: { ...ws.settings, ...(plan && { currentCycleId: plan.cycleId }) },
  };
}

const NO_PROGRESS: ProgressView = { progress: 0, status: 'on-track' };

/**
 * Arranges the core's analytics for one cycle into the project page's tree: organisation goal → department goal
 * (epic, with its verification) → action, each with its rolled-up progress; the heat map's top events; the plan
 * checks; and the process status as the commitment overview. No rule is computed here.
 */
export function projectPlanView(
  config: OrganisationConfig,
  plan: PlanSlice | undefined,
  cycleId: string | undefined,
  now: string,
): ProjectPlanView {
  const ws = workspaceOf(config, plan);
  const cycles = config.cycles.map((c) => ({ id: c.id, name: c.name }));
  if (plan && !cycles.some((c) => c.id === plan.cycleId))
    cycles.push({ id: plan.cycleId, name: plan.cycleId });
  const roll = rollUp(ws, { ...(cycleId && { cycleId }), now });
  const departmentName = (id: string): string => config.departments.find((d) => d.id === id)?.name ?? id;
  const progressOf = (node: NodeProgress | undefined): ProgressView =>
    node ? { progress: node.progress, status: node.status } : NO_PROGRESS;
  const goalView = (goal: DeptGoal): DeptGoalView => ({
    id: goal.id,
    title: goal.title,
    department: departmentName(goal.departmentId),
    ...(goal.jira && { issueKey: goal.jira.issueKey }),
    verification: goal.verification.status,
    ...progressOf(roll.deptGoals.get(goal.id)),
    actions: ws.actions
      .filter((a) => a.deptGoalId === goal.id && a.cycleId === roll.cycleId)
      .map((a) => ({
        id: a.id,
        title: a.title,
        ...(a.jira && { issueKey: a.jira.issueKey }),
        actionStatus: a.status,
        ...progressOf(roll.actions.get(a.id)),
      })),
  });
  const goals = ws.deptGoals.filter((g) => g.cycleId === roll.cycleId);
  const orgGoals = ws.orgGoals
    .filter((o) => o.cycleId === roll.cycleId)
    .map((o) => ({
      id: o.id,
      title: o.title,
      ...progressOf(roll.orgGoals.get(o.id)),
      deptGoals: goals.filter((g) => g.orgGoalId === o.id).map(goalView),
    }));
  const linked = new Set(orgGoals.flatMap((o) => o.deptGoals.map((g) => g.id)));
  const heat = computeHeatMap(ws);
  const stageName = (id: string): string => ws.stages.find((s) => s.id === id)?.name ?? id;
  const status = roll.cycleId ? processStatus(ws, roll.cycleId, now) : undefined;
  return {
    cycles,
    cycleId: roll.cycleId || undefined,
    overall: roll.overall,
    orgGoals,
    unlinked: goals.filter((g) => !linked.has(g.id)).map(goalView),
    heatMap: heat.ranked
      .filter((c) => c.score > 0)
      .slice(0, 10)
      .map((c) => ({
        rank: c.rank,
        event: c.eventName,
        stage: stageName(c.stageId),
        score: c.score,
        volume: c.volume,
        negativeShare: c.negativeShare,
      })),
    checks: planChecks(ws, { ...(roll.cycleId && { cycleId: roll.cycleId }), now, heatMap: heat }).map(
      (f) => ({
        severity: f.severity,
        message: f.message,
      }),
    ),
    commitment: commitmentOf(ws, roll.cycleId, now),
    process:
      status?.ok === true
        ? status.status.steps.map((s) => ({
            letter: s.letter,
            title: s.title,
            done: s.done,
            missing: s.missing,
          }))
        : [],
  };
}

function commitmentOf(ws: Workspace, cycleId: string, now: string): ProjectPlanView['commitment'] {
  const overview = cycleId ? buildCommitmentOverview(ws, { cycleId, now }) : undefined;
  if (!overview) return undefined;
  return {
    contributions: overview.contributions,
    acknowledgements: overview.acknowledgements.map((a) => ({
      department: a.departmentName,
      acknowledged: a.acknowledged,
      total: a.total,
    })),
  };
}
