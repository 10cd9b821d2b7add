import * as v from 'valibot';

/**
 * The ingest secret as shown once to the Jira admin and pasted into the extension: `cxp1.<keyId>.<secret>`.
 * The key id travels in a header so a request signed with a rotated secret gets "pair again", not "forged".
 * The HMAC key is the UTF-8 bytes of the whole token.
 */
export const IngestSecretTokenSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.regex(
    /^cxp1\.[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{43,128}$/,
    'must be the secret shown on the cxplan admin page in Jira (it starts with cxp1.)',
  ),
);

/** Formats a token from a key id and at least 32 random bytes (the platform supplies the randomness). */
export function formatIngestSecretToken(keyId: string, randomBytes: Uint8Array): string {
  if (randomBytes.length < 32) throw new Error('an ingest secret needs at least 32 random bytes');
  return `cxp1.${keyId}.${base64url(randomBytes)}`;
}

/** The key id inside a token (undefined when the token is malformed). */
export function keyIdOfToken(token: string): string | undefined {
  const match = /^cxp1\.([A-Za-z0-9_-]{8,64})\./.exec(token.trim());
  return match?.[1];
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url of raw bytes (RFC 4648 §5), written out because the core has no btoa/Buffer. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    const chars = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63].map((k) => ALPHABET[k] ?? '');
    const keep = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    out += chars.slice(0, keep).join('');
  }
  return out;
}
