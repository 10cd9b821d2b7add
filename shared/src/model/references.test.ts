import { describe, expect, it } from 'vitest';
import { workspace } from '../analytics/fixtures';
import { checkDeletion } from './references';

const ws = workspace({
  events: [
    { id: 'ev1', stageId: 'stage-pay', name: 'Invoice arrives' },
    { id: 'ev2', stageId: 'stage-pay', name: 'Refund' },
    { id: 'ev3', stageId: 'stage-aware', name: 'Sees an advert' },
  ],
  touchpoints: [
    {
      id: 'tp1',
      stageId: 'stage-pay',
      channel: 'email',
      name: 'Invoice email',
      state: 'current',
      eventIds: ['ev1'],
    },
  ],
  departments: [{ id: 'd1', name: 'Billing' }],
  orgGoals: [
    {
      id: 'og1',
      cycleId: 'c1',
      title: 'Clear invoices',
      metric: { name: 'Calls', unit: '#', direction: 'decrease', baseline: 10, target: 2, due: '2026-12-31' },
      evidenceIds: ['gone-clip'],
      eventIds: ['ev1'],
    },
  ],
  deptGoals: [{ id: 'dg1', cycleId: 'c1', departmentId: 'd1', title: 'Plain invoices' }],
  actions: [
    {
      id: 'a1',
      cycleId: 'c1',
      deptGoalId: 'dg1',
      title: 'Rewrite',
      eventIds: ['ev1'],
      touchpointIds: ['tp1'],
    },
    { id: 'a2', cycleId: 'c1', deptGoalId: 'dg1', title: 'Redesign', eventIds: ['ev1'] },
  ],
});
const { evidence: _evidence, ...plan } = ws;

describe('checkDeletion', () => {
  it('allows deleting what nothing uses', () => {
    expect(checkDeletion(plan, 'events', 'ev2', 0)).toEqual({ ok: true });
    expect(checkDeletion(plan, 'stages', 'stage-leave', 0)).toEqual({ ok: true });
  });

  it('names everything that uses it, evidence first, counting each user once', () => {
    expect(checkDeletion(plan, 'events', 'ev1', 12)).toEqual({
      ok: false,
      message:
        '“Invoice arrives” is used by 12 pieces of evidence, 1 touchpoint, 1 organisation goal, 2 actions: re-tag or unlink them first, then delete it.',
    });
    expect(checkDeletion(plan, 'stages', 'stage-pay', 0)).toMatchObject({
      ok: false,
      message: expect.stringContaining('is used by 2 customer events, 1 touchpoint'),
    });
    expect(checkDeletion(plan, 'touchpoints', 'tp1', 1)).toMatchObject({
      ok: false,
      message: expect.stringContaining('1 piece of evidence, 1 action'),
    });
  });

  it('is not blocked by references that were already dangling, and refuses an unknown id', () => {
    // og1 cites a clip that no longer exists: that is not a reason to keep ev2.
    expect(checkDeletion(plan, 'events', 'ev2', 0).ok).toBe(true);
    expect(checkDeletion(plan, 'events', 'nope', 0)).toEqual({
      ok: false,
      message: 'There is no customer event "nope".',
    });
  });
});
