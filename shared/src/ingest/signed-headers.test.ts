import { describe, expect, it } from 'vitest';
import { INGEST_HEADERS, MAX_BODY_BYTES } from './ingest-protocol';
import { checkBodySize, checkTimestamp, headerValue, readSignedHeaders } from './signed-headers';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const good = {
  [INGEST_HEADERS.signature]: [`v1=${'ab'.repeat(32)}`],
  [INGEST_HEADERS.timestamp]: [String(NOW)],
  [INGEST_HEADERS.nonce]: ['n0nce-0123456789AB'],
  [INGEST_HEADERS.keyId]: ['k3y1d000'],
};

describe('readSignedHeaders', () => {
  it('reads Forge-style headers (arrays) in any letter case', () => {
    const r = readSignedHeaders({
      'X-Cxplan-Signature': [`V1=${'AB'.repeat(32)}`],
      ...omit(good, INGEST_HEADERS.signature),
    });
    expect(r).toEqual({
      timestamp: String(NOW),
      timestampMs: NOW,
      nonce: 'n0nce-0123456789AB',
      signatureHex: 'ab'.repeat(32),
      keyId: 'k3y1d000',
    });
  });

  it('refuses with 401 and names every missing header', () => {
    const r = readSignedHeaders({ [INGEST_HEADERS.timestamp]: [String(NOW)] });
    expect(r).toMatchObject({ status: 401, code: 'missing-signature' });
    expect('message' in r && r.message).toContain(INGEST_HEADERS.signature);
    expect('message' in r && r.message).toContain(INGEST_HEADERS.nonce);
  });

  it.each([
    [INGEST_HEADERS.signature, 'sha256=abc', 'bad-signature'],
    [INGEST_HEADERS.signature, `v1=${'zz'.repeat(32)}`, 'bad-signature'],
    [INGEST_HEADERS.timestamp, '2026-11-23T12:00:00Z', 'stale-timestamp'],
    [INGEST_HEADERS.nonce, 'short', 'bad-signature'],
    [INGEST_HEADERS.keyId, 'has space', 'bad-signature'],
  ])('refuses a malformed %s (%s) with 401 %s', (name, value, code) => {
    expect(readSignedHeaders({ ...good, [name]: [value] })).toMatchObject({ status: 401, code });
  });

  it('treats a header sent twice as missing (ambiguous)', () => {
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBeUndefined();
    expect(
      readSignedHeaders({ ...good, [INGEST_HEADERS.nonce]: ['n0nce-0123456789AB', 'n0nce-0123456789AC'] }),
    ).toMatchObject({
      code: 'missing-signature',
    });
  });
});

describe('checkTimestamp (±5 minutes)', () => {
  it.each([
    [0, true],
    [5 * 60_000, true],
    [-5 * 60_000, true],
    [5 * 60_000 + 1, false],
    [-5 * 60_000 - 1, false],
    [-3_600_000, false],
  ])('skew %d ms accepted: %s', (skew, accepted) => {
    const r = checkTimestamp(NOW + skew, NOW);
    if (accepted) expect(r).toBeNull();
    else expect(r).toMatchObject({ status: 401, code: 'stale-timestamp' });
  });

  it('says which way the clock is off', () => {
    expect(checkTimestamp(NOW - 3_600_000, NOW)?.message).toContain('60 min old');
    expect(checkTimestamp(NOW + 600_000, NOW)?.message).toContain('in the future');
  });
});

describe('checkBodySize', () => {
  it('accepts a body of exactly the limit and refuses one byte more with 413', () => {
    expect(checkBodySize('a'.repeat(MAX_BODY_BYTES))).toBeNull();
    expect(checkBodySize('a'.repeat(MAX_BODY_BYTES + 1))).toMatchObject({ status: 413, code: 'too-large' });
  });

  it('counts UTF-8 bytes, not characters', () => {
    const chars = Math.floor(MAX_BODY_BYTES / 3) + 1; // each 'é' is 2 bytes, '€' is 3
    expect(checkBodySize('€'.repeat(chars))).toMatchObject({ status: 413 });
    expect(checkBodySize('€'.repeat(chars - 1))).toBeNull();
  });
});

function omit<T extends Record<string, unknown>>(o: T, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = o;
  return rest;
}
