import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../io/parse';
import {
  base64url,
  formatIngestSecretToken,
  IngestSecretTokenSchema,
  keyIdOfToken,
} from './ingest-secret-token';

describe('base64url', () => {
  it('agrees with Buffer on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});

describe('ingest secret token', () => {
  it('formats a token the schema accepts and whose key id can be read back', () => {
    const token = formatIngestSecretToken('k_12345678', crypto.getRandomValues(new Uint8Array(32)));
    expect(parseWith(IngestSecretTokenSchema, `  ${token}\n`).ok).toBe(true);
    expect(keyIdOfToken(token)).toBe('k_12345678');
  });

  it('refuses too little randomness', () => {
    expect(() => formatIngestSecretToken('k_12345678', new Uint8Array(16))).toThrow(/32 random bytes/);
  });

  it('explains what a secret looks like when something else is pasted', () => {
    const r = parseWith(IngestSecretTokenSchema, 'hunter2', 'secret');
    expect(!r.ok && r.errors[0]?.message).toContain('starts with cxp1.');
  });
});
