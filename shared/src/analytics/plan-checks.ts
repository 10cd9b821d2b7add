import { type Component, feedbackTime, type VerificationState, type Workspace } from '../model/index';
import { computeHeatMap, type HeatMap } from './heat-map';
import { resolveCycle } from './scope';
import { DAY_MS, toMs } from './time';

/** How urgent a finding is: critical breaks the plan's logic, warning weakens it, info is worth a look. */
export type Severity = 'critical' | 'warning' | 'info';

/** The words people read for a severity (the extension and Jira's project page both show them). */
export const SEVERITY_WORDS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Worth a look',
};

/** The rules the plan checks apply (seeds 002 and 004: alignment, contribution, people/process/technology). */
export type PlanCheckRule =
  | 'org-goal-without-evidence'
  | 'dept-goal-without-metric'
  | 'dept-goal-without-org-goal'
  | 'dept-goal-without-business-objective'
  | 'dept-goal-verification-overdue'
  | 'dept-goal-without-actions'
  | 'dept-goal-missing-components'
  | 'action-not-measurable'
  | 'action-without-due-date'
  | 'action-without-evidence-or-event'
  | 'high-priority-event-without-action'
  | 'department-without-goal'
  | 'executive-without-contribution'
  | 'listening-without-acting';

/** The kinds of entity a finding points at. */
export type EntityKind = 'orgGoal' | 'deptGoal' | 'action' | 'event' | 'department' | 'person';

/** One plan-check finding: stable id (`<rule>:<entity id>`), severity, a manager-readable message, what to fix. */
export interface Finding {
  id: string;
  rule: PlanCheckRule;
  severity: Severity;
  message: string;
  entity: { kind: EntityKind; id: string };
}

/** Options of {@link planChecks}. */
export interface PlanCheckOptions {
  /** The cycle to check (default: the current / active cycle). */
  cycleId?: string;
  /** ISO date-time the checks are run at. */
  now: string;
  /** A heat map already computed for the workspace (saves computing it again). */
  heatMap?: HeatMap;
  /** Days a submitted goal may wait for verification (default `settings.verificationOverdueDays`, else 14). */
  verificationOverdueDays?: number;
  /** Length of the two windows compared by "listening without acting" (default 30 days). */
  growthWindowDays?: number;
  /** Least evidence in the recent window for "listening without acting" to fire (default 3). */
  minRecentEvidence?: number;
}

/**
 * Days a submitted department goal has waited for its up-line manager at `nowMs` (undefined unless submitted).
 * A goal is overdue when this exceeds `settings.verificationOverdueDays` (default 14).
 */
export function daysWaitingForVerification(
  verification: VerificationState,
  nowMs: number,
): number | undefined {
  if (verification.status !== 'submitted') return undefined;
  return (nowMs - toMs(verification.submittedAt)) / DAY_MS;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const COMPONENTS: readonly Component[] = ['people', 'process', 'technology'];

/**
 * Checks a cycle's plan for alignment problems and returns the findings, most severe first.
 *
 * "Listening without acting" (seed 002: don't over-invest in listening before fixing what customers said) fires
 * for an event whose evidence given in the last `growthWindowDays` (default 30; a survey response counts from its own
 * time, not from its import: `feedbackTime`) is more than in the
 * `growthWindowDays` before that, is at least `minRecentEvidence` (default 3), and that no (non-dropped) action
 * of the cycle links — neither the event itself nor any of its evidence.
 *
 * "High-priority event" means top quartile of the heat map among events with any score.
 * One pass over the evidence plus Map lookups; no nested scans.
 */
export function planChecks(ws: Workspace, options: PlanCheckOptions): Finding[] {
  const cycle = resolveCycle(ws, options.cycleId);
  const cycleId = cycle?.id ?? options.cycleId;
  const nowMs = toMs(options.now);
  const overdueDays = options.verificationOverdueDays ?? ws.settings.verificationOverdueDays ?? 14;
  const windowMs = (options.growthWindowDays ?? 30) * DAY_MS;
  const minRecent = options.minRecentEvidence ?? 3;
  const out: Finding[] = [];
  const add = (
    rule: PlanCheckRule,
    severity: Severity,
    kind: EntityKind,
    id: string,
    message: string,
  ): void => {
    out.push({ id: `${rule}:${id}`, rule, severity, message, entity: { kind, id } });
  };

  const orgGoals = ws.orgGoals.filter((g) => g.cycleId === cycleId);
  const deptGoals = ws.deptGoals.filter((g) => g.cycleId === cycleId);
  const actions = ws.actions.filter((a) => a.cycleId === cycleId && a.status !== 'dropped');
  const deptName = new Map(ws.departments.map((d) => [d.id, d.name]));
  const orgGoalIds = new Set(ws.orgGoals.map((g) => g.id));
  const objectiveIds = new Set(ws.organisation.businessObjectives.map((o) => o.id));

  // Evidence the plan points at, and what actions cover.
  const wantedEvidence = new Set<string>();
  for (const g of orgGoals) for (const id of g.evidenceIds) wantedEvidence.add(id);
  const actedEvents = new Set<string>();
  const actedEvidence = new Set<string>();
  for (const a of actions) {
    for (const id of a.eventIds) actedEvents.add(id);
    for (const id of a.evidenceIds) actedEvidence.add(id);
  }

  // One pass over the evidence: existence of cited items, events reached through evidence, growth windows.
  // Events are counted by index in typed arrays: one Map lookup per item.
  const eventIndex = new Map<string, number>();
  ws.events.forEach((e, i) => {
    eventIndex.set(e.id, i);
  });
  const recent = new Int32Array(ws.events.length);
  const previous = new Int32Array(ws.events.length);
  // Events some action already links need no growth count ("listening without acting" cannot fire for them),
  // which spares parsing most timestamps in a plan that acts on its events.
  const acted = new Uint8Array(ws.events.length);
  for (const id of actedEvents) {
    const ei = eventIndex.get(id);
    if (ei !== undefined) acted[ei] = 1;
  }
  const existing = new Set<string>();
  const checkCited = wantedEvidence.size > 0;
  const checkActed = actedEvidence.size > 0;
  for (const e of ws.evidence) {
    if (checkCited && wantedEvidence.has(e.id)) existing.add(e.id);
    if (e.eventId === undefined) continue;
    const ei = eventIndex.get(e.eventId);
    if (checkActed && actedEvidence.has(e.id)) {
      actedEvents.add(e.eventId);
      if (ei !== undefined) acted[ei] = 1;
    }
    if (ei === undefined || acted[ei] === 1) continue;
    const age = nowMs - toMs(feedbackTime(e.origin));
    if (!(age >= 0 && age < 2 * windowMs)) continue;
    if (age < windowMs) recent[ei] = (recent[ei] ?? 0) + 1;
    else previous[ei] = (previous[ei] ?? 0) + 1;
  }

  for (const g of orgGoals) {
    if (!g.evidenceIds.some((id) => existing.has(id)))
      add(
        'org-goal-without-evidence',
        'critical',
        'orgGoal',
        g.id,
        `Organisation goal "${g.title}" cites no evidence that still exists: goals must be based on customer data.`,
      );
  }

  const actionsByGoal = new Map<string, typeof actions>();
  for (const a of actions) {
    const list = actionsByGoal.get(a.deptGoalId);
    if (list) list.push(a);
    else actionsByGoal.set(a.deptGoalId, [a]);
  }
  const goalsByDept = new Set<string>();
  for (const g of deptGoals) {
    goalsByDept.add(g.departmentId);
    const name = `Department goal "${g.title}"${deptName.has(g.departmentId) ? ` (${deptName.get(g.departmentId)})` : ''}`;
    if (!g.metric)
      add(
        'dept-goal-without-metric',
        'critical',
        'deptGoal',
        g.id,
        `${name} has no success metric: add one so progress can be measured.`,
      );
    if (g.orgGoalId === undefined || !orgGoalIds.has(g.orgGoalId))
      add(
        'dept-goal-without-org-goal',
        'critical',
        'deptGoal',
        g.id,
        g.orgGoalId === undefined
          ? `${name} is not linked to an organisation goal.`
          : `${name} is linked to an organisation goal that no longer exists.`,
      );
    if (g.businessObjectiveId === undefined || !objectiveIds.has(g.businessObjectiveId))
      add(
        'dept-goal-without-business-objective',
        'warning',
        'deptGoal',
        g.id,
        `${name} does not name the business objective it serves.`,
      );
    if (g.verification.status === 'submitted') {
      const waited = daysWaitingForVerification(g.verification, nowMs);
      if (waited !== undefined && waited > overdueDays)
        add(
          'dept-goal-verification-overdue',
          'warning',
          'deptGoal',
          g.id,
          `${name} has waited ${Math.floor(waited)} days for verification by the up-line manager (limit ${overdueDays}).`,
        );
    }
    const own = actionsByGoal.get(g.id) ?? [];
    if (own.length === 0) {
      add('dept-goal-without-actions', 'warning', 'deptGoal', g.id, `${name} has no actions yet.`);
    } else {
      const covered = new Set(own.map((a) => a.component));
      const missing = COMPONENTS.filter((c) => !covered.has(c));
      if (missing.length > 0)
        add(
          'dept-goal-missing-components',
          'warning',
          'deptGoal',
          g.id,
          `${name} has no action changing ${missing.join(' or ')}: plans should cover people, process and technology.`,
        );
    }
  }

  for (const a of actions) {
    if (!a.metric && (a.doneCriterion ?? '').trim() === '')
      add(
        'action-not-measurable',
        'warning',
        'action',
        a.id,
        `Action "${a.title}" is not measurable: give it a metric or say what "done" means.`,
      );
    if (a.due === undefined && a.status !== 'done')
      add('action-without-due-date', 'warning', 'action', a.id, `Action "${a.title}" has no due date.`);
    if (a.evidenceIds.length === 0 && a.eventIds.length === 0)
      add(
        'action-without-evidence-or-event',
        'info',
        'action',
        a.id,
        `Action "${a.title}" is linked to no evidence and no customer event: check it is aligned with what customers said, or drop it.`,
      );
  }

  const map = options.heatMap ?? computeHeatMap(ws, { explainTop: 0 });
  for (const cell of map.ranked) {
    if (cell.topQuartile && !actedEvents.has(cell.eventId))
      add(
        'high-priority-event-without-action',
        'critical',
        'event',
        cell.eventId,
        `"${cell.eventName}" is among the top quarter of the heat map (rank ${cell.rank}) but no action addresses it.`,
      );
  }
  ws.events.forEach((event, ei) => {
    const n = recent[ei] ?? 0;
    const before = previous[ei] ?? 0;
    if (n < minRecent || n <= before || actedEvents.has(event.id)) return;
    add(
      'listening-without-acting',
      'warning',
      'event',
      event.id,
      `Feedback on "${event.name}" is growing (${n} items in the last ${windowMs / DAY_MS} days, ${before} before) but no action refers to it: act on what customers said before collecting more.`,
    );
  });

  if (cycle?.status === 'active') {
    for (const d of ws.departments) {
      if (!goalsByDept.has(d.id))
        add(
          'department-without-goal',
          'warning',
          'department',
          d.id,
          `Department "${d.name}" has no goal in ${cycle.name}.`,
        );
    }
  }
  const contributors = new Set(ws.contributions.filter((c) => c.cycleId === cycleId).map((c) => c.personId));
  for (const p of ws.people) {
    if (p.role === 'executive' && !contributors.has(p.id))
      add(
        'executive-without-contribution',
        'warning',
        'person',
        p.id,
        `Executive ${p.name} has not stated a contribution to the customer-experience goals${cycle ? ` of ${cycle.name}` : ''}.`,
      );
  }

  return out.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
