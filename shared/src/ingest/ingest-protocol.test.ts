import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalSigningString, formatSignatureHeader, toHex, utf8ByteLength } from './ingest-protocol';

describe('canonicalSigningString', () => {
  it('joins timestamp, nonce and body with dots, body verbatim', () => {
    expect(canonicalSigningString('1763900000000', 'abcDEF0123456789', '{"a":1}')).toBe(
      '1763900000000.abcDEF0123456789.{"a":1}',
    );
  });

  it('gives a different signature when any part changes (a body byte, the nonce, the timestamp)', async () => {
    const base = await hmacHex('k', canonicalSigningString('1', 'nonce-aaaaaaaaaaaa', '{}'));
    expect(await hmacHex('k', canonicalSigningString('2', 'nonce-aaaaaaaaaaaa', '{}'))).not.toBe(base);
    expect(await hmacHex('k', canonicalSigningString('1', 'nonce-aaaaaaaaaaab', '{}'))).not.toBe(base);
    expect(await hmacHex('k', canonicalSigningString('1', 'nonce-aaaaaaaaaaaa', '{ }'))).not.toBe(base);
  });
});

describe('toHex / formatSignatureHeader', () => {
  it('matches Buffer hex and the RFC 4231 HMAC-SHA256 test vector 2', async () => {
    const bytes = new Uint8Array([0, 1, 15, 16, 255]);
    expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
    expect(await hmacHex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(formatSignatureHeader('ABCD')).toBe('v1=abcd');
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

/** HMAC-SHA256 with WebCrypto (the extension's way), hex via the core's toHex. */
async function hmacHex(key: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(message))));
}
