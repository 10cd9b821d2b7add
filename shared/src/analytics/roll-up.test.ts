import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { action, deptGoal, metric, orgGoal, reading, workspace } from './fixtures';
import { rollUp, weightedMean } from './roll-up';

const NOW = '2026-07-02T12:00:00Z';
const base = {
  departments: [{ id: 'd1', name: 'Support' }],
  evidence: [
    {
      id: 'ev1',
      text: 'Slow answers',
      sourceKind: 'customer',
      origin: { capturedBy: 'T', capturedAt: '2026-01-05T00:00:00Z' },
    },
  ],
};

describe('weightedMean', () => {
  it('weights, falls back to the plain mean when all weights are 0, and is undefined for nothing', () => {
    expect(
      weightedMean([
        { weight: 3, progress: 1 },
        { weight: 1, progress: 0 },
      ]),
    ).toBeCloseTo(0.75, 10);
    expect(
      weightedMean([
        { weight: 0, progress: 1 },
        { weight: 0, progress: 0 },
      ]),
    ).toBeCloseTo(0.5, 10);
    expect(weightedMean([])).toBeUndefined();
  });

  it('equals the mean when the weights are equal (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (ps, w) => {
          const mean = ps.reduce((s, p) => s + p, 0) / ps.length;
          expect(weightedMean(ps.map((progress) => ({ weight: w, progress })))).toBeCloseTo(mean, 9);
        },
      ),
    );
  });

  it('rolls equal-weight department goals up to their mean (property, through rollUp)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), (values) => {
        const ws = workspace({
          ...base,
          orgGoals: [orgGoal('og1')],
          deptGoals: values.map((value, i) =>
            deptGoal(`dg${i}`, {
              metric: metric({ readings: [reading(`r${i}`, value, '2026-06-01T00:00:00Z')] }),
            }),
          ),
        });
        const r = rollUp(ws, { now: NOW });
        const mean = values.reduce((s, x) => s + x / 100, 0) / values.length;
        expect(r.orgGoals.get('og1')?.progress).toBeCloseTo(mean, 9);
      }),
    );
  });
});

describe('rollUp (golden)', () => {
  const ws = workspace({
    ...base,
    orgGoals: [
      orgGoal('og1', { weight: 1 }),
      orgGoal('og2', { weight: 3, metric: metric({ readings: [reading('x', 80, '2026-06-01T00:00:00Z')] }) }),
    ],
    deptGoals: [
      // metric-based: 30 of 100
      deptGoal('dg1', {
        weight: 1,
        metric: metric({ readings: [reading('r1', 30, '2026-06-01T00:00:00Z')] }),
      }),
      // action-based: actions 1 (done, weight 2), 0.5 (metric, weight 1), 0 (todo, weight 1); dropped ignored
      deptGoal('dg2', { weight: 3, progressSource: 'actions' }),
      // no metric and no actions
      deptGoal('dg3', { orgGoalId: undefined, metric: undefined }),
    ],
    actions: [
      action('a1', { deptGoalId: 'dg2', status: 'done', weight: 2 }),
      action('a2', {
        deptGoalId: 'dg2',
        metric: metric({ readings: [reading('r2', 50, '2026-06-01T00:00:00Z')] }),
      }),
      action('a3', { deptGoalId: 'dg2', status: 'todo' }),
      action('a4', { deptGoalId: 'dg2', status: 'dropped' }),
    ],
  });
  const r = rollUp(ws, { now: NOW });

  it('computes action progress from completion or metric, leaving dropped actions out', () => {
    expect(r.actions.get('a1')).toMatchObject({ progress: 1, source: 'completion', status: 'on-track' });
    expect(r.actions.get('a2')).toMatchObject({ progress: 0.5, source: 'metric' });
    expect(r.actions.get('a3')).toMatchObject({ progress: 0, source: 'completion' });
    expect(r.actions.has('a4')).toBe(false);
  });

  it('computes department goals from their metric or their actions', () => {
    expect(r.deptGoals.get('dg1')).toMatchObject({ progress: 0.3, source: 'metric' });
    expect(r.deptGoals.get('dg2')?.progress).toBeCloseTo((2 * 1 + 0.5 + 0) / 4, 10);
    expect(r.deptGoals.get('dg2')?.source).toBe('actions');
    expect(r.deptGoals.get('dg3')).toMatchObject({ progress: 0, source: 'none' });
  });

  it('rolls department goals up to organisation goals by weight, else uses the goal metric', () => {
    expect(r.orgGoals.get('og1')?.progress).toBeCloseTo((1 * 0.3 + 3 * 0.625) / 4, 10);
    expect(r.orgGoals.get('og1')?.source).toBe('departments');
    expect(r.orgGoals.get('og2')).toMatchObject({
      progress: 0.8,
      source: 'metric',
      fromDepartments: undefined,
    });
    expect(r.overall).toBeCloseTo((1 * ((0.3 + 3 * 0.625) / 4) + 3 * 0.8) / 4, 10);
  });

  it('bands completion actions by their due date', () => {
    const w = workspace({
      ...base,
      deptGoals: [deptGoal('dg1')],
      actions: [
        action('late', { due: '2026-06-30' }),
        action('soon', { due: '2026-07-20' }),
        action('started', { due: '2026-07-20', status: 'in-progress' }),
        action('later', { due: '2026-12-01' }),
      ],
    });
    const x = rollUp(w, { now: NOW });
    expect(x.actions.get('late')?.status).toBe('at-risk');
    expect(x.actions.get('soon')?.status).toBe('behind');
    expect(x.actions.get('started')?.status).toBe('on-track');
    expect(x.actions.get('later')?.status).toBe('on-track');
  });
});
