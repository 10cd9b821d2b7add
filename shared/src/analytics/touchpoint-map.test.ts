import { describe, expect, it } from 'vitest';
import { action, deptGoal, evidence, workspace } from './fixtures';
import { touchpointMap } from './touchpoint-map';

const tp = (id: string, fields: Record<string, unknown>) => ({
  id,
  name: `TP ${id}`,
  stageId: 'stage-pay',
  channel: 'email',
  state: 'current',
  ...fields,
});

describe('touchpointMap', () => {
  const ws = workspace({
    departments: [{ id: 'd1', name: 'Billing' }],
    touchpoints: [
      tp('t1', { channel: 'letter', ownerDepartmentId: 'd1', timing: 'upon signing of contract' }),
      tp('t2', { channel: 'fax machine', stageId: 'stage-aware' }),
      tp('t3', { channel: 'chat', state: 'desired' }),
      tp('t4', { channel: 'chat', state: 'desired' }),
      tp('t5', { channel: 'email' }),
      tp('t6', { channel: 'constructor', stageId: 'stage-leave' }),
    ],
    evidence: [
      ...[1, 2, 3].map((i) => evidence(`n${i}`, { touchpointId: 't1', sentiment: -1 })),
      evidence('p1', { touchpointId: 't1', sentiment: 2 }),
      ...[1, 2, 3].map((i) => evidence(`m${i}`, { touchpointId: 't5', sentiment: -2 })),
      ...[1, 2, 3, 4].map((i) => evidence(`q${i}`, { touchpointId: 't5', sentiment: 1 })),
    ],
    deptGoals: [deptGoal('dg1', { departmentId: 'd1' })],
    actions: [action('a1', { touchpointIds: ['t4'] })],
  });
  const map = touchpointMap(ws, { cycleId: 'c1' });

  it('lays touchpoints out by stage × channel with owner and timing', () => {
    expect(map.stages[0]?.stageName).toBe('Aware');
    expect(map.channels).toEqual(['email', 'chat', 'letter', 'constructor', 'fax machine']);
    // Channel names are user text: one named like an Object.prototype member still gets its own cell.
    expect(map.cells['stage-leave']?.['constructor' as string]?.map((e) => e.touchpointId)).toEqual(['t6']);
    expect(map.cells['stage-pay']?.letter).toEqual([
      {
        touchpointId: 't1',
        name: 'TP t1',
        state: 'current',
        ownerDepartmentId: 'd1',
        ownerName: 'Billing',
        timing: 'upon signing of contract',
        evidenceCount: 4,
        negativeCount: 3,
        actionCount: 0,
      },
    ]);
    // Each touchpoint carries its pain and the actions working on it, for the map to show.
    const t5 = map.cells['stage-pay']?.email?.find((e) => e.touchpointId === 't5');
    expect(t5).toMatchObject({ evidenceCount: 7, negativeCount: 3, actionCount: 0 });
    const t4 = map.cells['stage-pay']?.chat?.find((e) => e.touchpointId === 't4');
    expect(t4).toMatchObject({ evidenceCount: 0, negativeCount: 0, actionCount: 1 });
    expect(map.cells['stage-aware']?.['fax machine']?.map((e) => e.touchpointId)).toEqual(['t2']);
  });

  it('finds desired touchpoints with no action and current ones with strong negative evidence', () => {
    expect(map.gaps).toEqual([
      {
        kind: 'current-with-negative-evidence',
        touchpointId: 't1',
        name: 'TP t1',
        negativeCount: 3,
        volume: 4,
        addressed: false,
        message: 'Touchpoint "TP t1" has 3 negative of 4 evidence items and no action addressing it.',
      },
      {
        kind: 'desired-without-action',
        touchpointId: 't3',
        name: 'TP t3',
        message: 'Desired touchpoint "TP t3" has no action to put it in place.',
      },
    ]);
    // t5: 3 negative of 7 is under half; thresholds are options.
    expect(touchpointMap(ws, { minNegativeShare: 0.4 }).gaps.map((g) => g.touchpointId)).toContain('t5');
  });
});
