import { type TeamRefusal, teamRefusal } from './team-protocol';
import { bodyTooLarge, type HeaderBag, headerValue, timestampSkew } from './wire';

/**
 * How a device signs its requests. Each browser holds an ECDSA P-256 key pair made with WebCrypto as
 * non-extractable: the private half never leaves the browser (not even to the extension's own storage as bytes),
 * the public half is registered with the Jira app when the device is paired. So no secret is shared between the
 * browser and the server, and revoking one device revokes only it. The signature is ECDSA with SHA-256 over
 * {@link deviceSigningString}, encoded as base64url of the 64-byte IEEE P1363 form WebCrypto produces.
 */

/** Header names (lower-case; lookups are case-insensitive). */
export const DEVICE_HEADERS = {
  /** The device id the Jira app gave at pairing (absent on the pairing request itself). */
  device: 'x-cxplan-device',
  /** Unix time in milliseconds when the request was signed. */
  timestamp: 'x-cxplan-timestamp',
  /** A fresh random value per request (base64url, 16–64 characters). */
  nonce: 'x-cxplan-nonce',
  /** base64url of the ECDSA P-256 signature (IEEE P1363, 64 bytes). */
  signature: 'x-cxplan-device-signature',
} as const;

/** The scheme tag inside the signed string, so a signature of this protocol can never pass for another's. */
export const DEVICE_SIGNING_SCHEME = 'cxplan-team-v1';

/**
 * The exact text a device signs: scheme, device id (`pairing` on the pairing request), timestamp, nonce and
 * body, one per line. None of the first four can contain a line break, so the parts cannot be shifted.
 */
export function deviceSigningString(
  deviceId: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return `${DEVICE_SIGNING_SCHEME}\n${deviceId}\n${timestamp}\n${nonce}\n${body}`;
}

/** The id a pairing request signs in place of a device id (it has none yet; its key signs to prove possession). */
export const PAIRING_DEVICE_ID = 'pairing';

/** The signing headers of a request, syntax-checked (not yet verified). */
export interface DeviceHeaders {
  deviceId: string;
  timestamp: string;
  timestampMs: number;
  nonce: string;
  /** The 64 signature bytes. */
  signature: Uint8Array;
}

const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP = /^\d{10,16}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/** The refusal a request with the old shared-secret signature gets: the browser must be connected again. */
export const RECONNECT_MESSAGE =
  'cxplan now connects each person with their own device key; the shared installation secret no longer works. ' +
  'Open cxplan in Jira, choose "Connect a browser", and paste the code in the extension. Nothing queued is lost.';

/**
 * Reads and syntax-checks a request's signing headers and its size, before anything else is done with it. A
 * request signed the old way (a shared secret, `x-cxplan-key-id`) is told to reconnect.
 */
export function readDeviceHeaders(
  headers: HeaderBag,
  body: string,
  nowMs: number,
  options: { pairing?: boolean } = {},
): DeviceHeaders | TeamRefusal {
  const tooLarge = bodyTooLarge(body);
  if (tooLarge) return teamRefusal('too-large', tooLarge);
  if (headerValue(headers, 'x-cxplan-key-id') !== undefined)
    return teamRefusal('reconnect', RECONNECT_MESSAGE);
  const deviceId = options.pairing ? PAIRING_DEVICE_ID : headerValue(headers, DEVICE_HEADERS.device);
  const timestamp = headerValue(headers, DEVICE_HEADERS.timestamp);
  const nonce = headerValue(headers, DEVICE_HEADERS.nonce);
  const signature = headerValue(headers, DEVICE_HEADERS.signature);
  const missing = Object.entries({
    [DEVICE_HEADERS.device]: deviceId,
    [DEVICE_HEADERS.timestamp]: timestamp,
    [DEVICE_HEADERS.nonce]: nonce,
    [DEVICE_HEADERS.signature]: signature,
  })
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (missing.length > 0 || !deviceId || !timestamp || !nonce || !signature)
    return teamRefusal(
      'missing-signature',
      `The request is not signed by a device: missing ${missing.join(', ')}.`,
    );
  if (!options.pairing && !DEVICE_ID.test(deviceId))
    return teamRefusal('unknown-device', `${DEVICE_HEADERS.device} is not a device id.`);
  if (!NONCE.test(nonce))
    return teamRefusal('bad-signature', `${DEVICE_HEADERS.nonce} must be 16 to 64 base64url characters.`);
  if (!TIMESTAMP.test(timestamp))
    return teamRefusal('stale-timestamp', `${DEVICE_HEADERS.timestamp} must be Unix time in milliseconds.`);
  if (!SIGNATURE.test(signature))
    return teamRefusal('bad-signature', `${DEVICE_HEADERS.signature} must be 86 base64url characters.`);
  const stale = timestampSkew(Number(timestamp), nowMs);
  if (stale) return teamRefusal('stale-timestamp', stale);
  return {
    deviceId,
    timestamp,
    timestampMs: Number(timestamp),
    nonce,
    signature: base64urlDecode(signature),
  };
}

/** Decodes base64url without padding (no platform globals in the core). */
export function base64urlDecode(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let i = 0;
  for (const ch of text) {
    const n = alphabet.indexOf(ch);
    if (n < 0) throw new Error(`not base64url: ${ch}`);
    value = (value << 6) | n;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, i);
}
