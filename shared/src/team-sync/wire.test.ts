import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  base64url,
  bodyTooLarge,
  headerValue,
  MAX_BODY_BYTES,
  retryAfterMs,
  timestampSkew,
  utf8ByteLength,
} from './wire';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('headerValue', () => {
  it('reads Forge-style (arrays) and fetch-style headers in any letter case; a header sent twice is missing', () => {
    expect(headerValue({ 'X-CxPlan-Nonce': ['abc'] }, 'x-cxplan-nonce')).toBe('abc');
    expect(headerValue({ 'x-cxplan-nonce': 'abc' }, 'X-CXPLAN-NONCE')).toBe('abc');
    expect(headerValue({ 'x-cxplan-nonce': ['a', 'b'] }, 'x-cxplan-nonce')).toBeUndefined();
    expect(headerValue({}, 'x-cxplan-nonce')).toBeUndefined();
  });
});

describe('timestampSkew (±5 minutes)', () => {
  it.each([
    [0, true],
    [5 * 60_000, true],
    [-5 * 60_000, true],
    [5 * 60_000 + 1, false],
    [-5 * 60_000 - 1, false],
    [-3_600_000, false],
  ])('skew %d ms accepted: %s', (skew, accepted) => {
    expect(timestampSkew(NOW + skew, NOW) === undefined).toBe(accepted);
  });

  it('says which way the clock is off', () => {
    expect(timestampSkew(NOW - 3_600_000, NOW)).toContain('60 min old');
    expect(timestampSkew(NOW + 600_000, NOW)).toContain('in the future');
  });
});

describe('bodyTooLarge', () => {
  it('accepts a body of exactly the limit and refuses one byte more', () => {
    expect(bodyTooLarge('a'.repeat(MAX_BODY_BYTES))).toBeUndefined();
    expect(bodyTooLarge('a'.repeat(MAX_BODY_BYTES + 1))).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const chars = Math.floor(MAX_BODY_BYTES / 3) + 1; // each '€' is 3 bytes
    expect(bodyTooLarge('€'.repeat(chars))).toBeDefined();
    expect(bodyTooLarge('€'.repeat(chars - 1))).toBeUndefined();
  });
});

describe('utf8ByteLength', () => {
  it('agrees with Buffer.byteLength on any string, including emoji and lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
      { numRuns: 500 },
    );
    expect(utf8ByteLength('\ud800')).toBe(3);
    expect(utf8ByteLength('é😀')).toBe(6);
  });
});

describe('base64url', () => {
  it('agrees with Buffer on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Mon, 23 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 23 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
    ['99999999', 86_400_000],
  ])('%s → %s', (header, ms) => {
    expect(retryAfterMs(header, NOW)).toBe(ms);
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
