import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalSigningString } from '@cxplan/core';

/** HMAC-SHA256 hex of the canonical string with the secret token's UTF-8 bytes as key. */
export function signIngestRequest(secret: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', secret)
    .update(canonicalSigningString(timestamp, nonce, body), 'utf8')
    .digest('hex');
}

/** Compares the sent signature with the expected one in constant time (no early exit on the first wrong byte). */
export function signatureMatches(
  secret: string,
  request: { timestamp: string; nonce: string; body: string; signatureHex: string },
): boolean {
  const expected = Buffer.from(
    signIngestRequest(secret, request.timestamp, request.nonce, request.body),
    'hex',
  );
  const sent = Buffer.from(request.signatureHex, 'hex');
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
