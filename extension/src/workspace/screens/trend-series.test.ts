import { metricProgress, type SuccessMetric } from '@cxplan/core';
import { describe, expect, it } from 'vitest';
import { trendSeries } from './trend-series';

const reading = (id: string, day: string, value: number, corrects?: string) => ({
  id,
  value,
  at: `${day}T12:00:00.000Z`,
  recordedAt: `${day}T12:00:00.000Z`,
  by: 'p1',
  ...(corrects ? { corrects } : {}),
});

const metric = (readings: SuccessMetric['readings'], direction: SuccessMetric['direction'] = 'increase') =>
  ({
    name: 'On-time',
    unit: '%',
    direction,
    baseline: 60,
    target: 90,
    due: '2026-12-31',
    readings,
  }) as SuccessMetric;

const START = '2026-01-01';
const NOW = '2026-07-02T12:00:00.000Z';

describe('trendSeries', () => {
  it('plots the readings in force (a correction replaces what it corrects) on the shared x axis', () => {
    const s = trendSeries(
      metric([
        reading('a', '2026-02-01', 64),
        reading('b', '2026-03-01', 70),
        reading('c', '2026-03-02', 71, 'b'),
      ]),
      START,
      NOW,
    );
    const plotted = s.x.flatMap((x, i) => (s.readings[i] === null ? [] : [[x, s.readings[i]]]));
    expect(plotted).toEqual([
      [Date.parse('2026-02-01T12:00:00.000Z') / 1000, 64],
      [Date.parse('2026-03-02T12:00:00.000Z') / 1000, 71],
    ]);
    expect(s.latest).toEqual({ at: '2026-03-02T12:00:00.000Z', value: 71 });
    expect([...s.x].sort((a, b) => a - b)).toEqual(s.x);
  });

  it('draws the expected line by the core rule: baseline at the cycle start, target once due', () => {
    const m = metric([reading('a', '2026-02-01', 64)]);
    const s = trendSeries(m, START, NOW);
    expect(s.expected[0]).toBe(60);
    expect(s.expected.at(-1)).toBe(90);
    expect(s.target.every((t) => t === 90)).toBe(true);
    // Every sampled point is the core's expected progress, mapped from baseline to target.
    for (const [i, x] of s.x.entries()) {
      const e = metricProgress(m, START, new Date(x * 1000).toISOString()).expected;
      expect(s.expected[i]).toBeCloseTo(60 + e * 30, 9);
    }
    expect(s.expectedNow).toBeCloseTo(60 + metricProgress(m, START, NOW).expected * 30, 9);
    expect(s.expectedNow).toBeGreaterThan(70);
    expect(s.expectedNow).toBeLessThan(80);
  });

  it('a metric to maintain is expected at its target all along; a decrease goes down', () => {
    expect(trendSeries(metric([], 'maintain'), START, NOW).expected.every((e) => e === 90)).toBe(true);
    const down = trendSeries({ ...metric([]), baseline: 90, target: 60, direction: 'decrease' }, START, NOW);
    expect(down.expected[0]).toBe(90);
    expect(down.expected.at(-1)).toBe(60);
  });

  it('with no readings there is no latest value, and the axis still spans start to due', () => {
    const s = trendSeries(metric([]), START, NOW);
    expect(s.latest).toBeUndefined();
    expect(s.readings.every((r) => r === null)).toBe(true);
    expect(s.x[0]).toBe(Date.parse(START) / 1000);
    expect(s.x.at(-1)).toBe(Date.parse('2027-01-01') / 1000);
  });

  it('extends the axis to a reading before the cycle start or after the due day', () => {
    const s = trendSeries(
      metric([reading('a', '2025-12-01', 58), reading('b', '2027-02-01', 91)]),
      START,
      NOW,
    );
    expect(s.x[0]).toBe(Date.parse('2025-12-01T12:00:00.000Z') / 1000);
    expect(s.x.at(-1)).toBe(Date.parse('2027-02-01T12:00:00.000Z') / 1000);
    expect(s.expected[0]).toBe(60);
  });
});
