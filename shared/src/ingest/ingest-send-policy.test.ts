import { describe, expect, it } from 'vitest';
import { backoffMs, classifyIngestStatus, planBatches, retryAfterMs } from './ingest-send-policy';

describe('planBatches', () => {
  it('splits by item count, keeping order', () => {
    const items = Array.from({ length: 1201 }, (_, i) => i);
    const { batches } = planBatches(items, () => 10);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(batches.flat()).toEqual(items);
  });

  it('splits by bytes and reports items too big for any batch', () => {
    const sizes = [400, 400, 400, 5_000, 100];
    const { batches, oversized } = planBatches(sizes, (s) => s, { maxBytes: 1_100, overheadBytes: 100 });
    expect(batches).toEqual([
      [400, 400],
      [400, 100],
    ]);
    expect(oversized).toEqual([5_000]);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Mon, 23 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 23 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
    ['99999999', 86_400_000],
  ])('%s → %s', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});

describe('classifyIngestStatus', () => {
  it.each([
    [200, undefined, 'accepted'],
    [429, undefined, 'retry-later'],
    [503, undefined, 'retry-later'],
    [500, undefined, 'retry-later'],
    [409, 'replayed-nonce', 're-sign'],
    [401, 'stale-timestamp', 're-sign'],
    [401, 'bad-signature', 'unpaired'],
    [401, 'key-rotated', 'unpaired'],
    [413, 'too-large', 'split'],
    [400, 'invalid-batch', 'rejected'],
  ])('%d %s → %s', (status, code, outcome) => {
    expect(classifyIngestStatus(status, code)).toBe(outcome);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt within jitter bounds, capped', () => {
    expect(backoffMs(1, { random: 0 })).toBe(1_000);
    expect(backoffMs(1, { random: 1 })).toBe(2_000);
    expect(backoffMs(4, { random: 1 })).toBe(16_000);
    expect(backoffMs(50, { random: 1 })).toBe(15 * 60_000);
  });

  it('never retries before Retry-After', () => {
    expect(backoffMs(1, { random: 0, retryAfterMs: 60_000 })).toBe(60_000);
  });
});
