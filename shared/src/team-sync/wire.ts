/**
 * The byte-level rules of the team sync's HTTP exchange that both sides share: header lookup, body size, the clock
 * window of a signed request, replay memory, base64url, and when to try again. Pure (no platform globals), so the
 * extension and the Jira app apply the very same limits.
 */

/** Headers as Forge delivers them (name → values) or as fetch/Node give them (name → value). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** How far a request's signing time may be from the server's clock, either way: 5 minutes. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * How long a nonce is remembered. A nonce can only be replayed while its timestamp is inside the window, i.e. at
 * most 2 × tolerance after it was first seen; keeping it that long (plus a minute of slack) makes replays
 * impossible without keeping nonces forever.
 */
export const NONCE_RETENTION_MS = 2 * TIMESTAMP_TOLERANCE_MS + 60_000;

/**
 * Largest accepted request body in UTF-8 bytes: 2 MiB. Forge caps a web-trigger invocation payload at a few MB;
 * 2 MiB leaves room for headers and keeps one push of 500 typical clips (≈1 kB each) in one request.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Reads one header case-insensitively; a repeated header is ambiguous and counts as missing. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') return value;
    return value.length === 1 ? value[0] : undefined;
  }
  return undefined;
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

/**
 * Why a body is too large to read (checked before anything else, so a huge payload costs neither a signature check
 * nor a JSON parse); undefined when it is within `max` UTF-8 bytes.
 */
export function bodyTooLarge(body: string, max: number = MAX_BODY_BYTES): string | undefined {
  // A UTF-16 length over the limit is over it in UTF-8 too; only count bytes when it could matter.
  if (body.length > max || (body.length * 3 > max && utf8ByteLength(body) > max))
    return `The request body is larger than ${max} bytes: send fewer changes per request.`;
  return undefined;
}

/** Why a signing time is outside the ±5 minute window (which way the clock is off); undefined when inside. */
export function timestampSkew(
  timestampMs: number,
  nowMs: number,
  toleranceMs: number = TIMESTAMP_TOLERANCE_MS,
): string | undefined {
  const skew = timestampMs - nowMs;
  if (Math.abs(skew) <= toleranceMs) return undefined;
  const minutes = Math.round(Math.abs(skew) / 60_000);
  const direction = skew < 0 ? 'old' : 'in the future';
  return `The request was signed ${minutes} min ${direction}; it must be within ±${toleranceMs / 60_000} min of the server clock (check the computer's clock).`;
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

/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) as milliseconds from now; undefined when
 * absent or unreadable. Capped at one day so a broken server cannot park a replica's changes forever.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 86_400_000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), 86_400_000);
}

/**
 * Exponential backoff with full jitter (`random` in [0, 1) is passed in: the core has no Math.random habit in
 * tests), never shorter than the server's Retry-After.
 */
export function backoffMs(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; retryAfterMs?: number | undefined; random?: number } = {},
): number {
  const base = options.baseMs ?? 2_000;
  const max = options.maxMs ?? 15 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
  const jittered = Math.round(ceiling / 2 + (ceiling / 2) * (options.random ?? 0.5));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
