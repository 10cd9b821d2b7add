import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evidence, Workspace } from '../model/index';
import { arbWorkspace } from '../testing/arbitraries';
import { evidence, workspace } from './fixtures';
import {
  computeHeatMap,
  computeHeatMapFromCounts,
  type HeatMap,
  type HeatMapCount,
  heatMapCategory,
} from './heat-map';

/** What storage's index gives: per (event id, category) counts of the evidence placed on an event id. */
function countsOf(items: readonly Evidence[]): HeatMapCount[] {
  const byKey = new Map<string, HeatMapCount>();
  for (const e of items) {
    if (e.eventId === undefined) continue;
    const category = heatMapCategory(e);
    const key = `${e.eventId}\u0000${category}`;
    const row = byKey.get(key) ?? { eventId: e.eventId, category, count: 0 };
    row.count++;
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

/** The parts of a heat map that do not depend on reading rows (contributions are read per cell on demand). */
function withoutExplanations(map: HeatMap): unknown {
  return {
    weights: map.weights,
    ranked: map.ranked.map(({ contributions: _c, otherContributions: _o, ...cell }) => cell),
    byStage: map.byStage.map((s) => ({ ...s, cells: s.cells.map((c) => c.eventId) })),
  };
}

const arbWeights = fc.record({
  volume: fc.double({ min: 0, max: 5, noNaN: true }),
  negative: fc.double({ min: 0, max: 5, noNaN: true }),
  loyalty: fc.double({ min: 0, max: 2, noNaN: true }),
  retention: fc.double({ min: 0, max: 2, noNaN: true }),
  pain: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('heat map from index counts', () => {
  it('gives the same scores, ranking, stages and unplaced count as the heat map over the rows (property)', () => {
    fc.assert(
      fc.property(
        arbWorkspace,
        fc.option(arbWeights, { nil: undefined }),
        fc.boolean(),
        (ws, weights, shuffle) => {
          const rows = shuffle ? [...ws.evidence].reverse() : ws.evidence;
          const full = computeHeatMap({ ...ws, evidence: rows }, { weights });
          const { evidence: _e, ...rest } = ws;
          const fromCounts = computeHeatMapFromCounts(rest, countsOf(rows), { weights });
          expect(withoutExplanations(fromCounts)).toEqual(withoutExplanations(full));
          const noEvent = ws.evidence.filter((e) => e.eventId === undefined).length;
          expect(fromCounts.unplacedEvidence + noEvent).toBe(full.unplacedEvidence);
          for (const cell of fromCounts.ranked) {
            expect(cell.contributions).toEqual([]);
            expect(cell.otherContributions).toEqual({ count: cell.volume, amount: cell.score });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees on a workspace with many items per event, negative sentiment and drivers on both sides', () => {
    const ws = workspace({
      events: [
        { id: 'e1', stageId: 'stage-pay', name: 'Invoice is clear', drivers: ['pain'] },
        { id: 'e2', stageId: 'stage-set-up', name: 'Set up in a day', drivers: [] },
      ],
      evidence: Array.from({ length: 300 }, (_, i) =>
        evidence(`ev-${i}`, {
          eventId: i % 3 === 0 ? 'e2' : i % 7 === 0 ? 'gone' : 'e1',
          ...(i % 5 === 0 ? {} : { sentiment: (i % 5) - 3 }),
          drivers: i % 4 === 0 ? ['loyalty', 'pain'] : i % 4 === 1 ? ['retention'] : [],
        }),
      ),
    }) as Workspace;
    const full = computeHeatMap(ws);
    const { evidence: _e, ...rest } = ws;
    const fromCounts = computeHeatMapFromCounts(rest, countsOf(ws.evidence));
    expect(withoutExplanations(fromCounts)).toEqual(withoutExplanations(full));
    expect(fromCounts.unplacedEvidence).toBe(full.unplacedEvidence);
    expect(fromCounts.unplacedEvidence).toBeGreaterThan(0);
    expect(fromCounts.ranked[0]?.score).toBeGreaterThan(0);
  });

  it('names the event when a category is out of range', () => {
    const { evidence: _e, ...rest } = workspace({ events: [] });
    expect(() => computeHeatMapFromCounts(rest, [{ eventId: 'e9', category: 48, count: 1 }])).toThrow(
      /event "e9": category 48/,
    );
  });

  it('puts the sentiment slot in the high bits and the evidence drivers in the low three', () => {
    expect(heatMapCategory({ sentiment: undefined, drivers: [] })).toBe(0);
    expect(heatMapCategory({ sentiment: -2, drivers: ['loyalty'] })).toBe(9);
    expect(heatMapCategory({ sentiment: 2, drivers: ['retention', 'pain'] })).toBe(46);
  });
});
