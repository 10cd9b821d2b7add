import { latestReading, type SuccessMetric, type VerificationState, type Workspace } from '../model/index';
import { acknowledgementList, type DepartmentAcknowledgements } from './acknowledgements';
import { computeHeatMap, type HeatMap } from './heat-map';
import type { ProgressStatus } from './progress';
import { type RollUp, rollUp } from './roll-up';
import { resolveCycle } from './scope';

/** A metric as the overview states it. */
export interface MetricLine {
  name: string;
  unit: string;
  direction: SuccessMetric['direction'];
  baseline: number;
  target: number;
  due: string;
  latest: number | undefined;
}

/** An action in the overview. */
export interface OverviewAction {
  id: string;
  title: string;
  owner: string | undefined;
  due: string | undefined;
  status: string;
  component: string | undefined;
  /** How it is measured: its metric, else its done-criterion. */
  metric: MetricLine | undefined;
  doneCriterion: string | undefined;
  progress: number;
  carried: boolean;
}

/** A department goal in the overview. */
export interface OverviewDeptGoal {
  id: string;
  title: string;
  department: string;
  owner: string | undefined;
  businessObjective: string | undefined;
  metric: MetricLine | undefined;
  /** Human label of the verification state, e.g. "verified by Ann Lee on 2026-02-01". */
  verification: string;
  verificationStatus: VerificationState['status'];
  progress: number;
  status: ProgressStatus;
  actions: OverviewAction[];
}

/** An organisation goal in the overview. */
export interface OverviewOrgGoal {
  id: string;
  title: string;
  metric: MetricLine;
  progress: number;
  status: ProgressStatus;
  evidenceCount: number;
  deptGoals: OverviewDeptGoal[];
}

/** A top heat-map event in the overview, with the clip that weighs most. */
export interface OverviewEvent {
  eventId: string;
  name: string;
  stage: string;
  rank: number;
  score: number;
  volume: number;
  negativeShare: number;
  /** Text of the largest contributing evidence (clipped text: renderers must escape it), at most 280 chars. */
  quote: string | undefined;
}

/** The structured overview of a cycle for the commitment session (claim 1(e)). */
export interface CommitmentOverview {
  organisation: string;
  cycle: { id: string; name: string; start: string; end: string; status: string };
  generatedAt: string;
  overall: number | undefined;
  orgGoals: OverviewOrgGoal[];
  /** Department goals of the cycle not linked to an existing organisation goal. */
  unlinkedDeptGoals: OverviewDeptGoal[];
  topEvents: OverviewEvent[];
  contributions: { person: string; statement: string }[];
  acknowledgements: DepartmentAcknowledgements[];
}

/** Options of {@link buildCommitmentOverview}. */
export interface OverviewOptions {
  cycleId?: string;
  now: string;
  /** How many heat-map events to list (default 5). */
  topEvents?: number;
  heatMap?: HeatMap;
  rollUp?: RollUp;
}

function metricLine(m: SuccessMetric | undefined): MetricLine | undefined {
  if (!m) return undefined;
  return {
    name: m.name,
    unit: m.unit,
    direction: m.direction,
    baseline: m.baseline,
    target: m.target,
    due: m.due,
    latest: latestReading(m)?.value,
  };
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Builds the commitment overview of a cycle: organisation goals → department goals → actions with owners,
 * metrics, verification state and progress; the top heat-map events; executives' contributions; and the
 * acknowledgement list per department. Returns `undefined` when the cycle does not exist.
 */
export function buildCommitmentOverview(
  ws: Workspace,
  options: OverviewOptions,
): CommitmentOverview | undefined {
  const cycle = resolveCycle(ws, options.cycleId);
  if (!cycle) return undefined;
  const progress = options.rollUp ?? rollUp(ws, { cycleId: cycle.id, now: options.now });
  const map = options.heatMap ?? computeHeatMap(ws, { explainTop: 1 });
  const people = new Map(ws.people.map((p) => [p.id, p.name]));
  const depts = new Map(ws.departments.map((d) => [d.id, d.name]));
  const objectives = new Map(ws.organisation.businessObjectives.map((o) => [o.id, o.name]));
  const stages = new Map(ws.stages.map((s) => [s.id, s.name]));
  const personName = (id: string | undefined): string | undefined =>
    id === undefined ? undefined : (people.get(id) ?? id);

  const actionsByGoal = new Map<string, OverviewAction[]>();
  for (const a of ws.actions) {
    if (a.cycleId !== cycle.id || a.status === 'dropped') continue;
    const list = actionsByGoal.get(a.deptGoalId) ?? [];
    actionsByGoal.set(a.deptGoalId, list);
    list.push({
      id: a.id,
      title: a.title,
      owner: personName(a.ownerId),
      due: a.due,
      status: a.status,
      component: a.component,
      metric: metricLine(a.metric),
      doneCriterion: a.doneCriterion,
      progress: progress.actions.get(a.id)?.progress ?? 0,
      carried: a.carriedFrom !== undefined,
    });
  }

  const verificationLabel = (v: VerificationState): string => {
    switch (v.status) {
      case 'draft':
        return 'draft (not yet submitted)';
      case 'submitted':
        return `submitted ${v.submittedAt.slice(0, 10)}, awaiting ${personName(v.verifierId)}`;
      case 'verified':
        return `verified by ${personName(v.verifiedBy)} on ${v.verifiedAt.slice(0, 10)}`;
      case 'rejected':
        return `sent back by ${personName(v.rejectedBy)} on ${v.rejectedAt.slice(0, 10)}: ${v.reason}`;
    }
  };

  const orgIds = new Set(ws.orgGoals.filter((g) => g.cycleId === cycle.id).map((g) => g.id));
  const byOrg = new Map<string, OverviewDeptGoal[]>();
  const unlinked: OverviewDeptGoal[] = [];
  for (const g of ws.deptGoals) {
    if (g.cycleId !== cycle.id) continue;
    const node = progress.deptGoals.get(g.id);
    const entry: OverviewDeptGoal = {
      id: g.id,
      title: g.title,
      department: depts.get(g.departmentId) ?? g.departmentId,
      owner: personName(g.ownerId),
      businessObjective:
        g.businessObjectiveId === undefined ? undefined : objectives.get(g.businessObjectiveId),
      metric: metricLine(g.metric),
      verification: verificationLabel(g.verification),
      verificationStatus: g.verification.status,
      progress: node?.progress ?? 0,
      status: node?.status ?? 'on-track',
      actions: actionsByGoal.get(g.id) ?? [],
    };
    if (g.orgGoalId !== undefined && orgIds.has(g.orgGoalId)) {
      const list = byOrg.get(g.orgGoalId) ?? [];
      byOrg.set(g.orgGoalId, list);
      list.push(entry);
    } else unlinked.push(entry);
  }

  const evidenceText = new Map<string, string>();
  const top = map.ranked.filter((c) => c.score > 0).slice(0, options.topEvents ?? 5);
  const wanted = new Set(top.map((c) => c.contributions[0]?.evidenceId).filter((x) => x !== undefined));
  for (const e of ws.evidence) if (wanted.has(e.id)) evidenceText.set(e.id, e.text);

  return {
    organisation: ws.organisation.name,
    cycle: { id: cycle.id, name: cycle.name, start: cycle.start, end: cycle.end, status: cycle.status },
    generatedAt: options.now,
    overall: progress.overall,
    orgGoals: ws.orgGoals
      .filter((g) => g.cycleId === cycle.id)
      .map((g) => {
        const node = progress.orgGoals.get(g.id);
        return {
          id: g.id,
          title: g.title,
          metric: metricLine(g.metric) as MetricLine,
          progress: node?.progress ?? 0,
          status: node?.status ?? 'on-track',
          evidenceCount: g.evidenceIds.length,
          deptGoals: byOrg.get(g.id) ?? [],
        };
      }),
    unlinkedDeptGoals: unlinked,
    topEvents: top.map((c) => {
      const id = c.contributions[0]?.evidenceId;
      const text = id === undefined ? undefined : evidenceText.get(id);
      return {
        eventId: c.eventId,
        name: c.eventName,
        stage: stages.get(c.stageId) ?? c.stageId,
        rank: c.rank,
        score: c.score,
        volume: c.volume,
        negativeShare: c.negativeShare,
        quote: text === undefined ? undefined : clip(text, 280),
      };
    }),
    contributions: ws.contributions
      .filter((c) => c.cycleId === cycle.id)
      .map((c) => ({ person: personName(c.personId) ?? c.personId, statement: c.statement })),
    acknowledgements: acknowledgementList(ws, cycle.id),
  };
}
