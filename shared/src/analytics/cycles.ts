import { describeErrors, parseWith } from '../io/parse';
import {
  type Action,
  type Cycle,
  CycleSchema,
  type DeptGoal,
  latestReading,
  type OrgGoal,
  type PlanWorkspace,
  type SuccessMetric,
  type Workspace,
} from '../model/index';
import { normalisedProgress } from './progress';

/** The new cycle to start: its name and dates (status is always `planning`; the id may be given or generated). */
export interface NewCycleInput {
  id?: string;
  name: string;
  start: string;
  end: string;
}

/** Who starts the new cycle and when (recorded in each copied goal's verification history). */
export interface StartCycleStamp {
  by: string;
  at: string;
}

/** Why a new cycle could not be started. */
export type StartCycleError =
  | { code: 'unknown-cycle'; message: string }
  | { code: 'cycle-not-closed'; message: string }
  | { code: 'invalid-cycle'; message: string }
  | { code: 'duplicate-id'; message: string };

/** The outcome of {@link startNextCycle}. */
export type StartCycleResult<W extends PlanWorkspace = Workspace> =
  | {
      ok: true;
      /** The source workspace (of the same shape: with or without evidence) plus the new cycle's rows. */
      workspace: W;
      cycle: Cycle;
      /** Old id → new id for every copied organisation goal, department goal and carried action. */
      idMap: Map<string, string>;
    }
  | { ok: false; error: StartCycleError };

/**
 * Copies a metric into a new cycle: no readings; the baseline becomes the last value in force (the new cycle
 * starts where the last one ended) and the due date moves to the new cycle's end, so a copied goal is not
 * overdue on day one. Name, unit, direction and target are kept for the owner to revise.
 */
function carryMetric(metric: SuccessMetric, due: string): SuccessMetric {
  const last = latestReading(metric);
  return { ...metric, baseline: last?.value ?? metric.baseline, due, readings: [] };
}

/**
 * Starts the next planning cycle from a closed one (pure; the source workspace is not modified):
 *
 * - refuses unless the source cycle exists and is `closed`, and the new cycle is valid;
 * - the new cycle is `planning`, with `previousCycleId` set;
 * - every organisation and department goal is copied (`copiedFrom` set) without readings (see `carryMetric`),
 *   department goals re-linked to the copied organisation goals;
 * - verification is reset: each copied department goal is a `draft` whose history starts afresh with one
 *   `returned-to-draft` event, why `new-cycle` (the old history stays with the old goal); Jira links are not
 *   copied — a new cycle's goal is a new epic;
 * - open actions (`todo`, `in-progress`) are carried to the copied goals (`carriedFrom` set, status, metric and
 *   its readings kept — it is the same work continuing; the Jira link is not copied); done and dropped stay;
 * - evidence, events, touchpoints, people and departments are kept as they are; sessions and contributions
 *   belong to their cycle and are not copied; settings are unchanged (the caller switches `currentCycleId`).
 *
 * `newId` generates every new id (deterministic in tests).
 */
export function startNextCycle<W extends PlanWorkspace>(
  ws: W,
  closedCycleId: string,
  input: NewCycleInput,
  newId: () => string,
  stamp: StartCycleStamp,
): StartCycleResult<W> {
  const source = ws.cycles.find((c) => c.id === closedCycleId);
  if (!source)
    return {
      ok: false,
      error: { code: 'unknown-cycle', message: `There is no planning cycle "${closedCycleId}".` },
    };
  if (source.status !== 'closed')
    return {
      ok: false,
      error: {
        code: 'cycle-not-closed',
        message: `Cycle "${source.name}" is ${source.status}: close it before starting the next cycle from it.`,
      },
    };
  const parsed = parseWith(
    CycleSchema,
    { ...input, id: input.id ?? newId(), status: 'planning', previousCycleId: source.id },
    'cycle',
  );
  if (!parsed.ok)
    return {
      ok: false,
      error: { code: 'invalid-cycle', message: `The new cycle is invalid: ${describeErrors(parsed.errors)}` },
    };
  const cycle = parsed.value;
  if (ws.cycles.some((c) => c.id === cycle.id))
    return {
      ok: false,
      error: { code: 'duplicate-id', message: `A cycle with id "${cycle.id}" already exists.` },
    };

  const idMap = new Map<string, string>();
  const orgGoals: OrgGoal[] = ws.orgGoals
    .filter((g) => g.cycleId === source.id)
    .map((g) => {
      const id = newId();
      idMap.set(g.id, id);
      return { ...g, id, cycleId: cycle.id, metric: carryMetric(g.metric, cycle.end), copiedFrom: g.id };
    });
  const deptGoals: DeptGoal[] = ws.deptGoals
    .filter((g) => g.cycleId === source.id)
    .map((g) => {
      const id = newId();
      idMap.set(g.id, id);
      const { jira: _jira, metric, orgGoalId, ...rest } = g;
      const copy: DeptGoal = {
        ...rest,
        id,
        cycleId: cycle.id,
        copiedFrom: g.id,
        verification: { status: 'draft' },
        verificationHistory: [{ type: 'returned-to-draft', by: stamp.by, at: stamp.at, why: 'new-cycle' }],
      };
      if (metric) copy.metric = carryMetric(metric, cycle.end);
      if (orgGoalId !== undefined) copy.orgGoalId = idMap.get(orgGoalId) ?? orgGoalId;
      return copy;
    });
  const actions: Action[] = ws.actions
    .filter((a) => a.cycleId === source.id && (a.status === 'todo' || a.status === 'in-progress'))
    .map((a) => {
      const id = newId();
      idMap.set(a.id, id);
      const { jira: _jira, ...rest } = a;
      return {
        ...rest,
        id,
        cycleId: cycle.id,
        deptGoalId: idMap.get(a.deptGoalId) ?? a.deptGoalId,
        carriedFrom: a.id,
      };
    });

  const clash = [...idMap.values()].find((id, i, all) => all.indexOf(id) !== i || id === cycle.id);
  if (clash !== undefined)
    return {
      ok: false,
      error: { code: 'duplicate-id', message: `The id generator returned "${clash}" twice.` },
    };

  return {
    ok: true,
    cycle,
    idMap,
    workspace: {
      ...ws,
      cycles: [...ws.cycles, cycle],
      orgGoals: [...ws.orgGoals, ...orgGoals],
      deptGoals: [...ws.deptGoals, ...deptGoals],
      actions: [...ws.actions, ...actions],
    },
  };
}

/** One cycle's figures for a goal's metric. */
export interface CyclePoint {
  cycleId: string;
  cycleName: string;
  goalId: string;
  metricName: string;
  unit: string;
  baseline: number;
  target: number;
  /** Latest reading in force, if any. */
  latest: number | undefined;
  /** Normalised progress of the latest value (baseline when there is none). */
  progress: number;
  /** Latest (or baseline) minus the previous cycle's latest (or baseline); undefined for the first cycle. */
  change: number | undefined;
}

/** A goal followed through the cycles it was copied into. */
export interface MetricComparison {
  kind: 'orgGoal' | 'deptGoal';
  /** The id of the first goal in the chain. */
  rootId: string;
  title: string;
  points: CyclePoint[];
}

/**
 * Compares each goal's metric across cycles by following `copiedFrom` chains (oldest cycle first). Goals
 * without a metric are skipped in the points; chains of a single cycle are included (nothing to compare yet,
 * but the table stays complete).
 */
export function compareMetricsAcrossCycles(ws: PlanWorkspace): MetricComparison[] {
  const cycles = new Map(ws.cycles.map((c) => [c.id, c]));
  const out: MetricComparison[] = [];
  const follow = (kind: MetricComparison['kind'], goals: readonly (OrgGoal | DeptGoal)[]): void => {
    const byId = new Map(goals.map((g) => [g.id, g]));
    const rootOf = (g: OrgGoal | DeptGoal): string => {
      let cur = g;
      const seen = new Set<string>();
      while (cur.copiedFrom !== undefined && byId.has(cur.copiedFrom) && !seen.has(cur.id)) {
        seen.add(cur.id);
        cur = byId.get(cur.copiedFrom) as OrgGoal | DeptGoal;
      }
      return cur.id;
    };
    const chains = new Map<string, (OrgGoal | DeptGoal)[]>();
    for (const g of goals) {
      const root = rootOf(g);
      const list = chains.get(root);
      if (list) list.push(g);
      else chains.set(root, [g]);
    }
    for (const [rootId, chain] of chains) {
      chain.sort((a, b) => {
        const sa = cycles.get(a.cycleId)?.start ?? '';
        const sb = cycles.get(b.cycleId)?.start ?? '';
        return sa < sb ? -1 : sa > sb ? 1 : 0;
      });
      const points: CyclePoint[] = [];
      let prev: number | undefined;
      for (const g of chain) {
        if (!g.metric) continue;
        const latest = latestReading(g.metric)?.value;
        const value = latest ?? g.metric.baseline;
        points.push({
          cycleId: g.cycleId,
          cycleName: cycles.get(g.cycleId)?.name ?? g.cycleId,
          goalId: g.id,
          metricName: g.metric.name,
          unit: g.metric.unit,
          baseline: g.metric.baseline,
          target: g.metric.target,
          latest,
          progress: normalisedProgress(g.metric, value),
          change: prev === undefined ? undefined : value - prev,
        });
        prev = value;
      }
      out.push({ kind, rootId, title: (chain.at(-1) as OrgGoal | DeptGoal).title, points });
    }
  };
  follow('orgGoal', ws.orgGoals);
  follow('deptGoal', ws.deptGoals);
  return out;
}
