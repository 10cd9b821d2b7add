import { describe, expect, it } from 'vitest';
import { parseWith } from '../io/parse';
import { findDanglingReferences, WorkspaceSchema } from '../model/index';
import { compareMetricsAcrossCycles, startNextCycle } from './cycles';
import { action, deptGoal, metric, orgGoal, reading, workspace } from './fixtures';

const closedWorkspace = () =>
  workspace({
    cycles: [{ id: 'c1', name: 'FY2026', start: '2026-01-01', end: '2026-12-31', status: 'closed' }],
    departments: [{ id: 'd1', name: 'Support' }],
    people: [{ id: 'p1', name: 'Pat', role: 'manager', departmentId: 'd1' }],
    events: [{ id: 'e1', stageId: 'stage-use-support', name: 'Get an answer fast' }],
    evidence: [
      {
        id: 'ev1',
        text: 'Slow answers',
        sourceKind: 'customer',
        origin: { capturedBy: 'T', capturedAt: '2026-01-05T00:00:00Z' },
      },
    ],
    orgGoals: [
      orgGoal('og1', {
        metric: metric({ baseline: 40, target: 60, readings: [reading('r1', 55, '2026-11-01T00:00:00Z')] }),
      }),
    ],
    deptGoals: [
      deptGoal('dg1', {
        verification: {
          status: 'verified',
          verifierId: 'p1',
          verifiedBy: 'p1',
          verifiedAt: '2026-02-01T00:00:00Z',
        },
        verificationHistory: [{ type: 'verified', by: 'p1', at: '2026-02-01T00:00:00Z' }],
        jira: { issueKey: 'CX-1' },
        metric: metric({ baseline: 10, target: 20, readings: [reading('r2', 14, '2026-10-01T00:00:00Z')] }),
      }),
    ],
    actions: [
      action('a-todo', { status: 'todo', jira: { issueKey: 'CX-2' } }),
      action('a-doing', { status: 'in-progress' }),
      action('a-done', { status: 'done' }),
      action('a-dropped', { status: 'dropped' }),
    ],
  });

const counter = () => {
  let n = 0;
  return () => `n${++n}`;
};
const stamp = { by: 'p1', at: '2027-01-02T09:00:00Z' };
const next = { name: 'FY2027', start: '2027-01-01', end: '2027-12-31' };

describe('startNextCycle', () => {
  it('refuses unless the source cycle is closed', () => {
    const ws = workspace();
    expect(startNextCycle(ws, 'c1', next, counter(), stamp)).toEqual({
      ok: false,
      error: {
        code: 'cycle-not-closed',
        message: 'Cycle "FY2026" is active: close it before starting the next cycle from it.',
      },
    });
    expect(startNextCycle(ws, 'nope', next, counter(), stamp)).toMatchObject({
      ok: false,
      error: { code: 'unknown-cycle' },
    });
  });

  it('refuses an invalid new cycle, naming the field', () => {
    const r = startNextCycle(closedWorkspace(), 'c1', { ...next, end: '2026-06-01' }, counter(), stamp);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-cycle' } });
    if (!r.ok) expect(r.error.message).toContain('end must not be before the start date');
  });

  it('copies goals as drafts without readings, carries open actions, keeps evidence', () => {
    const before = closedWorkspace();
    const snapshot = structuredClone(before);
    const r = startNextCycle(before, 'c1', next, counter(), stamp);
    if (!r.ok) throw new Error(r.error.message);
    expect(before).toEqual(snapshot); // pure
    const ws = r.workspace;
    expect(parseWith(WorkspaceSchema, ws).ok).toBe(true);
    expect(findDanglingReferences(ws)).toEqual([]);
    expect(r.cycle).toEqual({
      id: 'n1',
      name: 'FY2027',
      start: '2027-01-01',
      end: '2027-12-31',
      status: 'planning',
      previousCycleId: 'c1',
    });

    const og = ws.orgGoals.find((g) => g.cycleId === 'n1');
    expect(og).toMatchObject({ id: 'n2', copiedFrom: 'og1', evidenceIds: ['ev1'] });
    expect(og?.metric).toMatchObject({ baseline: 55, target: 60, due: '2027-12-31', readings: [] });

    const dg = ws.deptGoals.find((g) => g.cycleId === 'n1');
    expect(dg).toMatchObject({
      id: 'n3',
      copiedFrom: 'dg1',
      orgGoalId: 'n2',
      verification: { status: 'draft' },
    });
    expect(dg?.verificationHistory).toEqual([
      { type: 'returned-to-draft', by: 'p1', at: '2027-01-02T09:00:00Z', why: 'new-cycle' },
    ]);
    expect(dg?.jira).toBeUndefined();
    expect(dg?.metric).toMatchObject({ baseline: 14, readings: [] });

    const carried = ws.actions.filter((a) => a.cycleId === 'n1');
    expect(carried.map((a) => [a.id, a.carriedFrom, a.status, a.deptGoalId])).toEqual([
      ['n4', 'a-todo', 'todo', 'n3'],
      ['n5', 'a-doing', 'in-progress', 'n3'],
    ]);
    expect(carried[0]?.jira).toBeUndefined();
    expect(ws.evidence).toEqual(before.evidence);
    expect(ws.actions.filter((a) => a.cycleId === 'c1')).toHaveLength(4);
  });

  it('refuses an id generator that repeats itself', () => {
    const r = startNextCycle(closedWorkspace(), 'c1', next, () => 'same', stamp);
    expect(r).toMatchObject({ ok: false, error: { code: 'duplicate-id' } });
  });
});

describe('compareMetricsAcrossCycles', () => {
  it('follows copies across cycles, oldest first, with the change between cycles', () => {
    const r = startNextCycle(closedWorkspace(), 'c1', next, counter(), stamp);
    if (!r.ok) throw new Error(r.error.message);
    const ws = r.workspace;
    const og = ws.orgGoals.find((g) => g.id === 'n2');
    og?.metric.readings.push(reading('r9', 58, '2027-06-01T00:00:00Z'));
    const rows = compareMetricsAcrossCycles(ws);
    expect(rows.find((x) => x.rootId === 'og1')).toEqual({
      kind: 'orgGoal',
      rootId: 'og1',
      title: 'Goal og1',
      points: [
        {
          cycleId: 'c1',
          cycleName: 'FY2026',
          goalId: 'og1',
          metricName: 'Score',
          unit: '%',
          baseline: 40,
          target: 60,
          latest: 55,
          progress: 0.75,
          change: undefined,
        },
        {
          cycleId: 'n1',
          cycleName: 'FY2027',
          goalId: 'n2',
          metricName: 'Score',
          unit: '%',
          baseline: 55,
          target: 60,
          latest: 58,
          progress: 0.6,
          change: 3,
        },
      ],
    });
    const dept = rows.find((x) => x.rootId === 'dg1');
    expect(dept?.points.map((p) => [p.cycleName, p.latest, p.change])).toEqual([
      ['FY2026', 14, undefined],
      ['FY2027', undefined, 0],
    ]);
  });
});
