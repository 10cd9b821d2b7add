import {
  INGEST_HEADERS,
  MAX_BODY_BYTES,
  SIGNATURE_SCHEME,
  TIMESTAMP_TOLERANCE_MS,
  utf8ByteLength,
} from './ingest-protocol';
import { type IngestRefusal, refuse } from './ingest-refusal';

/** Headers as Forge delivers them (name → values) or as fetch/Node give them (name → value). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The signing headers of a request, read and syntax-checked (not yet verified). */
export interface SignedHeaders {
  timestamp: string;
  timestampMs: number;
  nonce: string;
  /** Lower-case hex digest from `v1=<hex>`. */
  signatureHex: string;
  keyId: string;
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP = /^\d{10,16}$/;
const SIGNATURE = new RegExp(`^${SIGNATURE_SCHEME}=([0-9a-f]{64})$`, 'i');
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

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

/**
 * Checks the body size before anything else: a body over the limit is refused unread (413), so a huge payload
 * costs neither an HMAC nor a JSON parse.
 */
export function checkBodySize(body: string, max: number = MAX_BODY_BYTES): IngestRefusal | null {
  // A UTF-16 length over the limit is over it in UTF-8 too; only count bytes when it could matter.
  if (body.length > max || (body.length * 3 > max && utf8ByteLength(body) > max)) {
    return refuse('too-large', `The request body is larger than ${max} bytes: send fewer items per batch.`);
  }
  return null;
}

/** Reads and syntax-checks the signing headers; a missing or malformed one refuses the request (401). */
export function readSignedHeaders(headers: HeaderBag): SignedHeaders | IngestRefusal {
  const signature = headerValue(headers, INGEST_HEADERS.signature);
  const timestamp = headerValue(headers, INGEST_HEADERS.timestamp);
  const nonce = headerValue(headers, INGEST_HEADERS.nonce);
  const keyId = headerValue(headers, INGEST_HEADERS.keyId);
  const missing = [
    [INGEST_HEADERS.signature, signature],
    [INGEST_HEADERS.timestamp, timestamp],
    [INGEST_HEADERS.nonce, nonce],
    [INGEST_HEADERS.keyId, keyId],
  ]
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (missing.length > 0 || !signature || !timestamp || !nonce || !keyId) {
    return refuse('missing-signature', `The request is not signed: missing header ${missing.join(', ')}.`);
  }
  const sig = SIGNATURE.exec(signature.trim());
  if (!sig?.[1]) {
    return refuse(
      'bad-signature',
      `${INGEST_HEADERS.signature} must be ${SIGNATURE_SCHEME}= and 64 hex digits.`,
    );
  }
  if (!TIMESTAMP.test(timestamp)) {
    return refuse('stale-timestamp', `${INGEST_HEADERS.timestamp} must be Unix time in milliseconds.`);
  }
  if (!NONCE.test(nonce)) {
    return refuse('bad-signature', `${INGEST_HEADERS.nonce} must be 16 to 64 base64url characters.`);
  }
  if (!KEY_ID.test(keyId)) return refuse('bad-signature', `${INGEST_HEADERS.keyId} is malformed.`);
  return { timestamp, timestampMs: Number(timestamp), nonce, signatureHex: sig[1].toLowerCase(), keyId };
}

/** The ±5 minute rule: a request signed too long ago or too far in the future is refused (401). */
export function checkTimestamp(
  timestampMs: number,
  nowMs: number,
  toleranceMs: number = TIMESTAMP_TOLERANCE_MS,
): IngestRefusal | null {
  const skew = timestampMs - nowMs;
  if (Math.abs(skew) <= toleranceMs) return null;
  const minutes = Math.round(Math.abs(skew) / 60_000);
  const direction = skew < 0 ? 'old' : 'in the future';
  return refuse(
    'stale-timestamp',
    `The request was signed ${minutes} min ${direction}; it must be within ±${toleranceMs / 60_000} min of the server clock (check the computer's clock).`,
  );
}
