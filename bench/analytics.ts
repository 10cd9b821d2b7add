/**
 * Benchmark: heat map + plan checks + full roll-up over a synthetic workspace (2k events, 500 department goals,
 * 5k actions) at 10k / 100k / 1M evidence. Target (issue 3): ≤ 150 ms at 100k evidence, and linear growth.
 * Data is generated from a fixed seed, so every run measures the same workspace.
 * Run: `npx tsx bench/analytics.ts` → bench/results/analytics.json.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type Action,
  type Component,
  type CustomerEvent,
  computeHeatMap,
  DEFAULT_STAGES,
  type DeptGoal,
  type Driver,
  type Evidence,
  emptyWorkspace,
  type OrgGoal,
  planChecks,
  rollUp,
  type SuccessMetric,
  type Workspace,
} from '@cxplan/core';
import { type Figure, machineInfo, median, writeResult } from './lib/machine';

/** mulberry32: a tiny seeded PRNG, so the generated workspace is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = '2026-07-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;

function generate(evidenceCount: number, seed = 42): Workspace {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const ws = emptyWorkspace('Bench Corp');
  ws.organisation.businessObjectives = [1, 2, 3, 4, 5].map((i) => ({ id: `bo${i}`, name: `Objective ${i}` }));
  ws.cycles = [{ id: 'c1', name: 'FY2026', start: '2026-01-01', end: '2026-12-31', status: 'active' }];
  ws.settings.currentCycleId = 'c1';
  ws.departments = Array.from({ length: 60 }, (_, i) => ({ id: `d${i}`, name: `Department ${i}` }));
  ws.people = Array.from({ length: 300 }, (_, i) => ({
    id: `p${i}`,
    name: `Person ${i}`,
    role: i < 10 ? 'executive' : i < 70 ? 'manager' : 'staff',
    departmentId: `d${i % 60}`,
  }));
  ws.contributions = Array.from({ length: 6 }, (_, i) => ({
    id: `k${i}`,
    cycleId: 'c1',
    personId: `p${i}`,
    statement: 'Sponsor',
    orgGoalIds: [],
  }));
  const drivers: Driver[][] = [[], ['pain'], ['loyalty'], ['retention'], ['pain', 'retention']];
  ws.events = Array.from(
    { length: 2000 },
    (_, i): CustomerEvent => ({
      id: `e${i}`,
      stageId: (DEFAULT_STAGES[i % DEFAULT_STAGES.length] as { id: string }).id,
      name: `Event ${i}`,
      drivers: pick(drivers),
    }),
  );
  ws.touchpoints = Array.from({ length: 400 }, (_, i) => ({
    id: `t${i}`,
    name: `Touchpoint ${i}`,
    stageId: (DEFAULT_STAGES[i % DEFAULT_STAGES.length] as { id: string }).id,
    channel: pick(['email', 'phone', 'web', 'chat']),
    ownerDepartmentId: `d${i % 60}`,
    state: i % 5 === 0 ? 'desired' : 'current',
    eventIds: [`e${i}`, `e${i + 400}`],
  }));
  const itemDrivers: Driver[][] = [[], [], [], ['pain'], ['loyalty']];
  ws.evidence = new Array<Evidence>(evidenceCount);
  for (let i = 0; i < evidenceCount; i++) {
    // Skewed towards low event numbers, like real feedback piling up on a few moments of truth.
    const event = Math.floor(r() * r() * 2000);
    const s = Math.floor(r() * 6) - 3;
    const e: Evidence = {
      id: `ev${i}`,
      text: `Customer feedback ${i}`,
      sourceKind: 'customer',
      origin: {
        capturedBy: 'Bench',
        capturedAt: new Date(NOW_MS - Math.floor(r() * 120 * DAY)).toISOString(),
        via: 'import',
      },
      eventId: `e${event}`,
      drivers: pick(itemDrivers),
    };
    if (s >= -2) e.sentiment = s;
    ws.evidence[i] = e;
  }
  const metric = (reads: number): SuccessMetric => ({
    name: 'Metric',
    unit: '%',
    direction: pick(['increase', 'decrease', 'maintain'] as const),
    baseline: 40,
    target: 60,
    due: '2026-12-31',
    readings: Array.from({ length: reads }, (_, k) => ({
      id: `r${k}`,
      value: 40 + r() * 30,
      at: new Date(Date.parse('2026-02-01T00:00:00Z') + k * 30 * DAY).toISOString(),
      recordedAt: '2026-06-01T00:00:00Z',
      by: 'p1',
    })),
  });
  ws.orgGoals = Array.from(
    { length: 20 },
    (_, i): OrgGoal => ({
      id: `og${i}`,
      cycleId: 'c1',
      title: `Org goal ${i}`,
      metric: metric(3),
      evidenceIds: [`ev${i}`, `missing${i}`],
      eventIds: [],
      weight: 1,
    }),
  );
  ws.deptGoals = Array.from(
    { length: 500 },
    (_, i): DeptGoal => ({
      id: `dg${i}`,
      cycleId: 'c1',
      departmentId: `d${i % 55}`,
      title: `Dept goal ${i}`,
      orgGoalId: i % 17 === 0 ? undefined : `og${i % 20}`,
      businessObjectiveId: `bo${i % 5}`,
      metric: i % 9 === 0 ? undefined : metric(4),
      weight: 1 + (i % 3),
      progressSource: i % 4 === 0 ? 'actions' : 'metric',
      verification:
        i % 6 === 0
          ? { status: 'submitted', submittedBy: 'p20', submittedAt: '2026-05-01T00:00:00Z', verifierId: 'p1' }
          : { status: 'draft' },
      verificationHistory: [],
    }),
  );
  const components: (Component | undefined)[] = ['people', 'process', 'technology', undefined];
  ws.actions = Array.from(
    { length: 5000 },
    (_, i): Action => ({
      id: `a${i}`,
      cycleId: 'c1',
      deptGoalId: `dg${i % 500}`,
      title: `Action ${i}`,
      due: i % 10 === 0 ? undefined : '2026-09-30',
      component: pick(components),
      metric: i % 3 === 0 ? metric(2) : undefined,
      doneCriterion: i % 3 === 1 ? 'Shipped' : undefined,
      status: pick(['todo', 'in-progress', 'done', 'dropped'] as const),
      weight: 1,
      evidenceIds: i % 7 === 0 ? [`ev${i}`] : [],
      eventIds: i % 2 === 0 ? [`e${Math.floor(r() * 2000)}`] : [],
      touchpointIds: [],
    }),
  );
  return ws;
}

interface Timing {
  heatMap: number;
  planChecks: number;
  rollUp: number;
  total: number;
  /** CPU time (user + system) of the whole pipeline: less sensitive than wall time to other load on the box. */
  cpu: number;
}

function measure(ws: Workspace): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const heatMap = computeHeatMap(ws);
  const t1 = performance.now();
  const findings = planChecks(ws, { now: NOW, heatMap });
  const t2 = performance.now();
  const progress = rollUp(ws, { now: NOW });
  const t3 = performance.now();
  const c = process.cpuUsage(c0);
  // Keep the results alive so nothing is optimised away.
  if (heatMap.ranked.length === 0 || findings.length === 0 || progress.deptGoals.size === 0)
    throw new Error('empty result');
  return {
    heatMap: t1 - t0,
    planChecks: t2 - t1,
    rollUp: t3 - t2,
    total: t3 - t0,
    cpu: (c.user + c.system) / 1000,
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

if (process.argv.includes('--probe')) {
  // Where the heat map's time goes: with no explanation, one contribution, and the default ten per cell.
  const ws = generate(100_000);
  for (const explainTop of [0, 1, 10]) {
    const ts: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 20; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      computeHeatMap(ws, { explainTop });
      ts.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
    console.log(
      `heat map, explainTop ${explainTop}: wall ${round(median(ts.slice(3)))} ms, cpu ${round(median(cpu.slice(3)))} ms`,
    );
  }
  const findings = planChecks(ws, { now: NOW, heatMap: computeHeatMap(ws) });
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  console.log(`${findings.length} findings`, Object.fromEntries(byRule));
  const hm = computeHeatMap(ws);
  for (const label of ['planChecks', 'rollUp'] as const) {
    const cpu: number[] = [];
    for (let i = 0; i < 30; i++) {
      const c = process.cpuUsage();
      if (label === 'planChecks') planChecks(ws, { now: NOW, heatMap: hm });
      else rollUp(ws, { now: NOW });
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
    console.log(`${label}: cpu ${round(median(cpu.slice(5)))} ms`);
  }
  process.exit(0);
}
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
/** `--sizes=100000` measures only those sizes and writes no result file (for quick checks while optimising). */
const sizes = sizesArg
  ? sizesArg.slice('--sizes='.length).split(',').map(Number)
  : [10_000, 100_000, 1_000_000];
const RUNS = 15;
const WARMUP = 3;
const figures: Figure[] = [];
const totals = new Map<number, number>();
const cpuTotals = new Map<number, number>();
for (const n of sizes) {
  const ws = generate(n);
  const runs = n >= 1_000_000 ? 7 : RUNS;
  const times: Timing[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const t = measure(ws);
    if (i >= WARMUP) times.push(t);
  }
  const total = median(times.map((t) => t.total));
  totals.set(n, total);
  const label = `${n.toLocaleString('en')} evidence, 2k events, 500 dept goals, 5k actions`;
  figures.push({
    what: `heat map + plan checks + roll-up, ${label}`,
    value: round(total),
    unit: 'ms',
    stat: 'median',
    ...(n === 100_000 ? { target: '≤ 150 ms', met: total <= 150 } : {}),
  });
  for (const part of ['heatMap', 'planChecks', 'rollUp'] as const)
    figures.push({
      what: `  ${part}, ${n.toLocaleString('en')} evidence`,
      value: round(median(times.map((t) => t[part]))),
      unit: 'ms',
      stat: 'median',
    });
  const cpu = median(times.map((t) => t.cpu));
  cpuTotals.set(n, cpu);
  figures.push({
    what: `  CPU time (user + system), ${n.toLocaleString('en')} evidence`,
    value: round(cpu),
    unit: 'ms',
    stat: 'median',
  });
  console.log(
    `${label}: total ${round(total)} ms, cpu ${round(cpu)} ms (heat map ${round(median(times.map((t) => t.heatMap)))}, checks ${round(
      median(times.map((t) => t.planChecks)),
    )}, roll-up ${round(median(times.map((t) => t.rollUp)))}) over ${runs} runs`,
  );
}
// Linearity: the growth from one size to the next, against the growth of the evidence (10×).
for (let k = 1; k < sizes.length; k++) {
  const a = sizes[k - 1] as number;
  const b = sizes[k] as number;
  for (const [kind, map] of [
    ['wall', totals],
    ['CPU', cpuTotals],
  ] as const)
    figures.push({
      what: `${kind} time growth ${a.toLocaleString('en')} → ${b.toLocaleString('en')} evidence (evidence × ${b / a})`,
      value: round((map.get(b) ?? 0) / (map.get(a) ?? 1)),
      unit: '×',
      stat: 'ratio',
      note: 'at most the evidence growth means linear or better (fixed costs for events, goals and actions)',
    });
}

if (sizesArg) process.exit(0);
// Other work on the machine inflates wall-clock figures; record how busy it was (2 cores).
figures.push({
  what: 'machine load average (1 min) when the run ended',
  value: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  unit: 'runnable processes',
  stat: 'single',
});
const file = writeResult({
  benchmark: 'analytics',
  ranAt: new Date().toISOString(),
  machine: machineInfo(false),
  runs: RUNS,
  figures,
});
console.log(`wrote ${file}`);
