import { describe, expect, it } from 'vitest';
import { action, deptGoal, evidence, workspace } from './fixtures';
import { computeHeatMap } from './heat-map';
import { whatToFixFirst } from './what-to-fix-first';

describe('whatToFixFirst', () => {
  const ws = workspace({
    departments: [{ id: 'd1', name: 'Billing' }],
    events: [
      { id: 'e1', stageId: 'stage-pay', name: 'Invoice is clear', drivers: ['pain'] },
      { id: 'e2', stageId: 'stage-set-up', name: 'Set up in a day' },
      { id: 'e3', stageId: 'stage-leave', name: 'Nothing said yet' },
    ],
    evidence: [
      evidence('a1', { eventId: 'e1', sentiment: -2 }),
      evidence('a2', { eventId: 'e1', sentiment: 1 }),
      evidence('b1', { eventId: 'e2', sentiment: -1 }),
    ],
    deptGoals: [deptGoal('dg1')],
    actions: [action('x1', { eventIds: [], evidenceIds: ['b1'] })],
  });

  it('lists scored events best first, with the reason in words and whether an action addresses them', () => {
    const list = whatToFixFirst(ws, computeHeatMap(ws), { cycleId: 'c1' });
    expect(list.map((x) => [x.rank, x.eventName, x.stageName, x.addressed, x.reason])).toEqual([
      [1, 'Invoice is clear', 'Pay', false, '2 items, 50 % negative; point of pain; no action yet'],
      [2, 'Set up in a day', 'Set Up', true, '1 item, 100 % negative; being addressed'],
    ]);
    expect(whatToFixFirst(ws, computeHeatMap(ws), { limit: 1 })).toHaveLength(1);
  });
});
