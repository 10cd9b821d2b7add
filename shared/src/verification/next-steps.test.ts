import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { type DeptGoal, DeptGoalSchema } from '../model/index';
import { verificationOptions } from './next-steps';

const AT = '2026-07-02T12:00:00Z';
const departments = [
  { id: 'board', name: 'Board', managerId: 'ceo' },
  { id: 'd1', name: 'Support', managerId: 'head', parentId: 'board' },
];
const goal = (fields: Partial<DeptGoal> = {}): DeptGoal =>
  v.parse(DeptGoalSchema, {
    id: 'g',
    cycleId: 'c',
    departmentId: 'd1',
    title: 'Answer first time',
    orgGoalId: 'og',
    businessObjectiveId: 'bo',
    ownerId: 'head',
    metric: {
      name: 'FCR',
      unit: '%',
      direction: 'increase',
      baseline: 60,
      target: 80,
      due: '2026-12-31',
      readings: [],
    },
    ...fields,
  });
const submitted = goal({
  verification: {
    status: 'submitted',
    submittedBy: 'head',
    submittedAt: '2026-07-01T09:00:00Z',
    verifierId: 'ceo',
  },
});
const options = (g: DeptGoal, who: string) => verificationOptions(g, who, AT, { departments });

describe('verificationOptions', () => {
  it('given a complete draft, when its head asks, then only Submit is offered', () => {
    expect(options(goal(), 'head')).toEqual([{ step: 'submit', allowed: true }]);
  });

  it('given a draft lacking its metric, then Submit is refused with the core’s sentence', () => {
    const [submit] = options(goal({ metric: undefined }), 'head');
    expect(submit).toMatchObject({ step: 'submit', allowed: false });
    expect(submit?.allowed === false && submit.why).toContain('cannot be submitted yet');
  });

  it('given a submitted goal, when the up-line manager asks, then Verify and Reject are offered, not Submit', () => {
    const steps = options(submitted, 'ceo');
    expect(steps.filter((s) => s.allowed).map((s) => s.step)).toEqual(['verify', 'reject']);
    expect(steps.map((s) => s.step)).not.toContain('submit');
  });

  it('given a submitted goal, when its own department’s manager asks, then Verify is refused and says why', () => {
    const steps = options(submitted, 'head');
    const verify = steps.find((s) => s.step === 'verify');
    expect(verify).toMatchObject({ allowed: false });
    expect(verify?.allowed === false && verify.why).toMatch(/up-line manager|own department|submitted/);
    expect(steps.find((s) => s.step === 'withdraw')).toEqual({ step: 'withdraw', allowed: true });
  });
});
