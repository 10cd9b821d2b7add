/**
 * The signed-ingest wire protocol between the extension and the Jira app's web trigger: header names, limits
 * and the string both sides sign. The HMAC itself is computed by each platform (WebCrypto in the extension,
 * node:crypto in Forge), so this file stays free of platform globals.
 */

/** Protocol version carried in every batch; bumped when the wire shape changes incompatibly. */
export const INGEST_PROTOCOL_VERSION = 1;

/** Header names, lower-case (Forge hands headers over as given; lookups are case-insensitive). */
export const INGEST_HEADERS = {
  /** Unix time in milliseconds when the request was signed, as decimal digits. */
  timestamp: 'x-cxplan-timestamp',
  /** A fresh random value per request (base64url, 16–64 characters); a second use is a replay. */
  nonce: 'x-cxplan-nonce',
  /** `v1=` followed by the lower-case hex HMAC-SHA256 of {@link canonicalSigningString}. */
  signature: 'x-cxplan-signature',
  /** The id of the secret that signed the request, so a rotated secret gets a precise message. */
  keyId: 'x-cxplan-key-id',
} as const;

/** Requests signed more than this far from the server's clock (either way) are refused: ±5 minutes. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * How long a nonce is remembered. A nonce can only be replayed while its timestamp is inside the window, i.e. at
 * most 2 × tolerance after it was first seen; keeping it that long (plus a minute of slack) makes replays
 * impossible without keeping nonces forever.
 */
export const NONCE_RETENTION_MS = 2 * TIMESTAMP_TOLERANCE_MS + 60_000;

/**
 * Largest accepted request body in UTF-8 bytes: 2 MiB. Forge caps a web-trigger invocation payload at a few MB;
 * 2 MiB leaves room for headers and keeps one batch of 500 typical clips (≈1 kB each) in one request.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Most items in one batch (the benchmark's batch size); the sender splits longer queues. */
export const MAX_BATCH_ITEMS = 500;

/** Prefix of the signature header value; the number is the signing scheme's version. */
export const SIGNATURE_SCHEME = 'v1';

/**
 * The exact string both sides sign: `<timestamp>.<nonce>.<body>`. Timestamp digits and base64url nonces never
 * contain a dot, so the three parts cannot be shifted into one another.
 */
export function canonicalSigningString(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}.${nonce}.${body}`;
}

/** The signature header value for a hex digest: `v1=<hex>`. */
export function formatSignatureHeader(hexDigest: string): string {
  return `${SIGNATURE_SCHEME}=${hexDigest.toLowerCase()}`;
}

/** Lower-case hex of raw bytes (both platforms hand back an ArrayBuffer / Uint8Array digest). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Length of a string in UTF-8 bytes, without TextEncoder (the core has no platform globals). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
