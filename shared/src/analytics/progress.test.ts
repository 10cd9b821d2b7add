import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbMetric } from '../testing/arbitraries';
import { metric, reading } from './fixtures';
import { expectedProgress, metricProgress, normalisedProgress, progressStatus } from './progress';

describe('normalisedProgress (golden)', () => {
  it.each([
    // direction, baseline, target, value, expected
    ['increase', 40, 60, 50, 0.5],
    ['increase', 40, 60, 70, 1],
    ['increase', 40, 60, 30, 0],
    ['increase', 5, 5, 5, 1],
    ['increase', 5, 5, 4, 0],
    ['decrease', 10, 2, 6, 0.5],
    ['decrease', 10, 2, 1, 1],
    ['decrease', 10, 2, 12, 0],
    ['decrease', 3, 3, 2, 1],
    ['decrease', 3, 3, 4, 0],
    // maintain: baseline on or above the target → keep at or above it
    ['maintain', 80, 75, 76, 1],
    ['maintain', 80, 75, 75, 1],
    ['maintain', 80, 75, 74, 0],
    // maintain: baseline below the target → keep at or below it (a ceiling, e.g. a complaint rate)
    ['maintain', 1.5, 2, 1.9, 1],
    ['maintain', 1.5, 2, 2.1, 0],
    ['increase', 0, 10, Number.NaN, 0],
  ] as const)('%s %d → %d at %d is %d', (direction, baseline, target, value, expected) => {
    expect(normalisedProgress({ direction, baseline, target }, value)).toBeCloseTo(expected, 10);
  });

  it('stays within [0, 1] for any metric and value (property)', () => {
    fc.assert(
      fc.property(arbMetric(), fc.double(), (m, value) => {
        const p = normalisedProgress(m, value);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('expected progress and status band (golden)', () => {
  const day = 86_400_000;
  it('is the elapsed share of start → due, clamped', () => {
    expect(expectedProgress(0, 10 * day, 5 * day)).toBe(0.5);
    expect(expectedProgress(0, 10 * day, -day)).toBe(0);
    expect(expectedProgress(0, 10 * day, 20 * day)).toBe(1);
    expect(expectedProgress(10 * day, 10 * day, 9 * day)).toBe(0);
    expect(expectedProgress(10 * day, 10 * day, 10 * day)).toBe(1);
  });

  it.each([
    [0.5, 0.55, false, 'on-track'],
    [0.5, 0.6, false, 'on-track'],
    [0.5, 0.7, false, 'behind'],
    [0.5, 0.75, false, 'behind'],
    [0.5, 0.8, false, 'at-risk'],
    [0.9, 1, true, 'at-risk'],
    [1, 1, true, 'on-track'],
  ] as const)('actual %d vs expected %d (overdue %s) is %s', (actual, expected, overdue, status) => {
    expect(progressStatus(actual, expected, overdue)).toBe(status);
  });
});

describe('metricProgress', () => {
  const m = metric({
    baseline: 0,
    target: 100,
    due: '2026-12-31',
    readings: [reading('r1', 20, '2026-03-01T00:00:00Z'), reading('r2', 60, '2026-09-01T00:00:00Z')],
  });

  it('uses the latest reading in force at now, and expected progress from the cycle start', () => {
    const p = metricProgress(m, '2026-01-01', '2026-07-02T12:00:00Z');
    expect(p.value).toBe(20);
    expect(p.hasReading).toBe(true);
    expect(p.progress).toBeCloseTo(0.2, 10);
    expect(p.expected).toBeCloseTo(0.5, 2);
    expect(p.status).toBe('at-risk');
    expect(metricProgress(m, '2026-01-01', '2026-09-02T00:00:00Z').value).toBe(60);
  });

  it('counts a reading from the start of the day it is true on, not from the hour it was stamped', () => {
    // The check-in form stores "true on 2026-12-05" as noon UTC; at 00:30 UTC that day it is already in force.
    const today = metric({ readings: [reading('r', 50, '2026-12-05T12:00:00.000Z')] });
    expect(metricProgress(today, '2026-01-01', '2026-12-05T00:30:00.000Z').value).toBe(50);
    expect(metricProgress(today, '2026-01-01', '2026-12-04T23:59:59.999Z').hasReading).toBe(false);
  });

  it('applies corrections and falls back to the baseline without readings', () => {
    const corrected = metric({
      readings: [
        reading('r1', 20, '2026-03-01T00:00:00Z'),
        { ...reading('r1b', 40, '2026-03-01T00:00:00Z'), corrects: 'r1' },
      ],
    });
    expect(metricProgress(corrected, '2026-01-01', '2026-04-01T00:00:00Z').value).toBe(40);
    const none = metricProgress(metric({ baseline: 10 }), '2026-01-01', '2026-04-01T00:00:00Z');
    expect(none).toMatchObject({ value: 10, hasReading: false, progress: 0 });
  });

  it('expects a maintain metric to hold all along', () => {
    const p = metricProgress(
      metric({ direction: 'maintain', baseline: 80, target: 75 }),
      '2026-01-01',
      '2026-02-01T00:00:00Z',
    );
    expect(p).toMatchObject({ progress: 1, expected: 1, status: 'on-track' });
  });

  it('is at risk once overdue and short of the target', () => {
    const p = metricProgress(
      metric({ due: '2026-03-31', readings: [reading('r', 90, '2026-03-01T00:00:00Z')] }),
      '2026-01-01',
      '2026-04-01T00:00:00Z',
    );
    expect(p).toMatchObject({ overdue: true, status: 'at-risk' });
  });
});
