import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/index';
import { evidence, workspace } from './fixtures';
import { computeHeatMap, DEFAULT_HEAT_MAP_WEIGHTS, resolveHeatMapWeights, scoreInWords } from './heat-map';
import { lensByCapability, lensByDriver, lensByInitiative } from './lenses';

const events = [
  { id: 'e1', stageId: 'stage-pay', name: 'Invoice is clear', drivers: ['pain'] },
  { id: 'e2', stageId: 'stage-set-up', name: 'Set up in a day', drivers: ['retention'] },
  { id: 'e3', stageId: 'stage-shop-buy', name: 'Facts on quality' },
  { id: 'e4', stageId: 'stage-leave', name: 'Easy to leave' },
];

function golden(): Workspace {
  return workspace({
    events,
    evidence: [
      evidence('a1', { eventId: 'e1', sentiment: -2 }),
      evidence('a2', { eventId: 'e1', sentiment: -1 }),
      evidence('a3', { eventId: 'e1', sentiment: 0 }),
      evidence('a4', { eventId: 'e1' }),
      evidence('a5', { eventId: 'e1', sentiment: 2 }),
      evidence('b1', { eventId: 'e2', sentiment: -2, drivers: ['loyalty'] }),
      evidence('c1', { eventId: 'e3', sentiment: 1 }),
      evidence('c2', { eventId: 'e3', sentiment: 1 }),
      evidence('x1', { sentiment: -2 }),
      evidence('x2', { eventId: 'unknown-event', sentiment: -2 }),
    ],
  });
}

describe('heat map score (golden)', () => {
  it('sums (volume + negative × negativity) × (1 + driver weights) per item', () => {
    const map = computeHeatMap(golden());
    const e1 = map.ranked.find((c) => c.eventId === 'e1');
    // e1 bears on pain (factor 1.5): −2 → 1.2 × 1.5, −1 → 0.7 × 1.5, three neutral-ish items 0.2 × 1.5 each.
    expect(e1?.score).toBeCloseTo(1.8 + 1.05 + 0.3 * 3, 10);
    expect(e1?.volume).toBe(5);
    expect(e1?.negativeCount).toBe(2);
    expect(e1?.negativeShare).toBeCloseTo(0.4, 10);
    // e2: one −2 item on loyalty, event on retention: 1.2 × (1 + 0.25 + 0.25).
    const e2 = map.ranked.find((c) => c.eventId === 'e2');
    expect(e2?.score).toBeCloseTo(1.8, 10);
    expect(e2?.drivers).toEqual(['loyalty', 'retention']);
    expect(map.ranked.find((c) => c.eventId === 'e3')?.score).toBeCloseTo(0.4, 10);
    expect(map.ranked.find((c) => c.eventId === 'e4')?.score).toBe(0);
    expect(map.unplacedEvidence).toBe(2);
  });

  it('ranks by score, then volume, then id, and marks the top quartile of scored events', () => {
    const map = computeHeatMap(golden());
    expect(map.ranked.map((c) => [c.eventId, c.rank])).toEqual([
      ['e1', 1],
      ['e2', 2],
      ['e3', 3],
      ['e4', 4],
    ]);
    // 3 events have a score: ceil(3 / 4) = 1 in the top quartile.
    expect(map.ranked.filter((c) => c.topQuartile).map((c) => c.eventId)).toEqual(['e1']);
  });

  it('explains each cell: contributions largest first, the rest summed', () => {
    const map = computeHeatMap(golden(), { explainTop: 2 });
    const e1 = map.ranked[0];
    expect(e1?.contributions.map((c) => [c.evidenceId, c.amount])).toEqual([
      ['a1', expect.closeTo(1.8, 10)],
      ['a2', expect.closeTo(1.05, 10)],
    ]);
    expect(e1?.contributions[0]?.drivers).toEqual(['pain']);
    expect(e1?.otherContributions.count).toBe(3);
    expect(e1?.otherContributions.amount).toBeCloseTo(0.9, 10);
  });

  it('groups cells by stage in stage order', () => {
    const map = computeHeatMap(golden());
    expect(map.byStage.map((s) => s.stageName)).toEqual([
      'Aware',
      'Shop/Buy',
      'Set Up',
      'Use & Support',
      'Pay',
      'Add/Renew/Upgrade',
      'Leave',
    ]);
    expect(map.byStage.find((s) => s.stageId === 'stage-pay')?.cells.map((c) => c.eventId)).toEqual(['e1']);
  });

  it('takes configurable weights, from settings and from options', () => {
    const ws = golden();
    ws.settings.heatMapWeights = { negative: 0, pain: 0, bogus: 9 };
    expect(resolveHeatMapWeights(ws.settings.heatMapWeights)).toEqual({
      ...DEFAULT_HEAT_MAP_WEIGHTS,
      negative: 0,
      pain: 0,
    });
    // Volume only: e1 has 5 items × 0.2.
    expect(computeHeatMap(ws).ranked[0]?.score).toBeCloseTo(1, 10);
    expect(computeHeatMap(ws, { weights: { volume: 1 } }).ranked[0]?.score).toBeCloseTo(5, 10);
  });

  it('counts only evidence inside the time window when one is given', () => {
    const ws = golden();
    (ws.evidence[0] as { origin: { capturedAt: string } }).origin.capturedAt = '2025-01-01T00:00:00Z';
    const map = computeHeatMap(ws, { since: '2026-01-01T00:00:00Z' });
    expect(map.ranked.find((c) => c.eventId === 'e1')?.volume).toBe(4);
  });

  it('windows by when the feedback was given (givenAt) before when it was captured', () => {
    // Given an item captured (imported) inside the window but given a year before it,
    // when the map is windowed, then the item is left out; an item given inside the window counts.
    const ws = golden();
    const origin = (ws.evidence[0] as { origin: { capturedAt: string; givenAt?: string } }).origin;
    origin.capturedAt = '2026-06-01T00:00:00Z';
    origin.givenAt = '2025-06-01T00:00:00Z';
    expect(
      computeHeatMap(ws, { since: '2026-01-01T00:00:00Z' }).ranked.find((c) => c.eventId === 'e1')?.volume,
    ).toBe(4);
    origin.capturedAt = '2024-01-01T00:00:00Z';
    origin.givenAt = '2026-02-01T00:00:00Z';
    expect(
      computeHeatMap(ws, { since: '2026-01-01T00:00:00Z' }).ranked.find((c) => c.eventId === 'e1')?.volume,
    ).toBe(5);
  });
});

describe('heat map ranking (property)', () => {
  it('does not depend on the order evidence is stored in', () => {
    const arbItem = fc.record({
      eventId: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
      sentiment: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
      drivers: fc.subarray(['loyalty', 'retention', 'pain'] as const),
    });
    fc.assert(
      fc.property(
        fc.array(arbItem, { maxLength: 60 }),
        fc.func(fc.integer()),
        fc.record({
          volume: fc.double({ min: 0, max: 3, noNaN: true }),
          negative: fc.double({ min: 0, max: 3, noNaN: true }),
        }),
        (items, key, weights) => {
          const list = items.map((it, i) => evidence(`ev${i}`, it));
          const shuffled = list
            .map((item, i) => ({ item, k: key(i) }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.item);
          const a = computeHeatMap(workspace({ events, evidence: list }), { weights });
          const b = computeHeatMap(workspace({ events, evidence: shuffled }), { weights });
          expect(b.ranked.map((c) => [c.eventId, c.score, c.contributions])).toEqual(
            a.ranked.map((c) => [c.eventId, c.score, c.contributions]),
          );
        },
      ),
    );
  });
});

describe('heat map explanation (property)', () => {
  it('lists exactly the largest contributions, ties by evidence id, as a full sort would', () => {
    const arbItem = fc.record({
      eventId: fc.constantFrom('e1', 'e2'),
      sentiment: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
      drivers: fc.subarray(['loyalty', 'retention', 'pain'] as const),
    });
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (items, top) => {
        const list = items.map((it, i) => evidence(`ev${(i * 7919) % 1000}-${i}`, it));
        const map = computeHeatMap(workspace({ events, evidence: list }), { explainTop: top });
        const all = computeHeatMap(workspace({ events, evidence: list }), { explainTop: 1000 });
        for (const cell of map.ranked) {
          const full = all.ranked.find((c) => c.eventId === cell.eventId)?.contributions ?? [];
          const sorted = [...full].sort(
            (a, b) =>
              b.amount - a.amount || (a.evidenceId < b.evidenceId ? -1 : a.evidenceId > b.evidenceId ? 1 : 0),
          );
          expect(full).toEqual(sorted);
          expect(cell.contributions).toEqual(sorted.slice(0, top));
          expect(cell.otherContributions.count).toBe(cell.volume - cell.contributions.length);
        }
      }),
    );
  });
});

describe('lenses', () => {
  const ws = (): Workspace =>
    workspace({
      ...golden(),
      departments: [
        { id: 'd1', name: 'Billing' },
        { id: 'd2', name: 'Onboarding' },
      ],
      touchpoints: [
        {
          id: 't1',
          name: 'Invoice letter',
          stageId: 'stage-pay',
          channel: 'letter',
          state: 'current',
          ownerDepartmentId: 'd1',
          eventIds: ['e1'],
        },
        {
          id: 't2',
          name: 'Welcome call',
          stageId: 'stage-set-up',
          channel: 'phone',
          state: 'current',
          ownerDepartmentId: 'd2',
          eventIds: ['e2', 'e1'],
        },
      ],
      deptGoals: [{ id: 'dg1', cycleId: 'c1', departmentId: 'd1', title: 'Clear bills' }],
      actions: [
        { id: 'a-fix', cycleId: 'c1', deptGoalId: 'dg1', title: 'Redesign invoice', eventIds: ['e1'] },
        {
          id: 'a-old',
          cycleId: 'c1',
          deptGoalId: 'dg1',
          title: 'Dropped idea',
          eventIds: ['e3'],
          status: 'dropped',
        },
      ],
    });

  it('groups by driver, with events that state none apart', () => {
    const groups = lensByDriver(computeHeatMap(ws()));
    const ids = Object.fromEntries(groups.map((g) => [g.key, g.cells.map((c) => c.eventId)]));
    expect(ids).toEqual({ loyalty: ['e2'], retention: ['e2'], pain: ['e1'], none: ['e3', 'e4'] });
  });

  it('groups by the department owning the touchpoints, heaviest first', () => {
    const w = ws();
    const groups = lensByCapability(w, computeHeatMap(w));
    expect(groups.map((g) => [g.label, g.cells.map((c) => c.eventId)])).toEqual([
      ['Onboarding', ['e1', 'e2']],
      ['Billing', ['e1']],
      ['No owning department', ['e3', 'e4']],
    ]);
  });

  it('groups by the actions linked to the events, ignoring dropped actions', () => {
    const w = ws();
    const groups = lensByInitiative(w, computeHeatMap(w), 'c1');
    expect(groups.map((g) => [g.key, g.cells.map((c) => c.eventId)])).toEqual([
      ['a-fix', ['e1']],
      ['none', ['e2', 'e3', 'e4']],
    ]);
  });
});

describe('scoreInWords', () => {
  it('says what makes up a score, how a piece counts under the weights, and the rank', () => {
    const cell = {
      score: 38.94,
      volume: 36,
      negativeShare: 0.64,
      drivers: ['pain' as const],
      rank: 1,
      topQuartile: true,
    };
    expect(scoreInWords(cell, 11)).toBe(
      'Score 38.9: 36 pieces of evidence, 64 % negative, pain at stake (each adds 50 %). ' +
        'Each piece counts 0.2, a very negative one 1.2. Rank 1 of 11, in the top quarter: fix first.',
    );
    const weighed = scoreInWords({ ...cell, drivers: [], topQuartile: false, volume: 1 }, 11, {
      ...DEFAULT_HEAT_MAP_WEIGHTS,
      volume: 0.5,
    });
    expect(weighed).toContain('1 piece of evidence, 64 % negative, no driver at stake');
    expect(weighed).toContain('Each piece counts 0.5, a very negative one 1.5. Rank 1 of 11.');
  });
});
