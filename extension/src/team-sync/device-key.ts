import { DEVICE_HEADERS, type DevicePublicKey, deviceSigningString, PAIRING_DEVICE_ID } from '@cxplan/core';
import type { CxplanDb } from '../storage/db';

/**
 * This browser's device key: an ECDSA P-256 pair made by WebCrypto as **non-extractable**, so the private half can
 * sign but can never be read out — not by a page, not by this extension's own code, not from a backup. IndexedDB
 * stores CryptoKey objects as they are (structured clone keeps them non-extractable). The public half is sent to
 * the Jira app once, when the browser connects; there is no shared secret.
 */
export interface DeviceKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Makes a fresh key pair (each connection gets its own; disconnecting forgets it). */
export async function createDeviceKeys(
  db: CxplanDb,
): Promise<{ keys: DeviceKeys; publicJwk: DevicePublicKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const keys = { privateKey: pair.privateKey, publicKey: pair.publicKey };
  await db.meta.put({ key: 'deviceKey', value: keys });
  return { keys, publicJwk: await publicJwkOf(keys) };
}

/** The stored key pair, if this browser has one. */
export async function readDeviceKeys(db: CxplanDb): Promise<DeviceKeys | undefined> {
  const row = await db.meta.get('deviceKey');
  const value = row?.value as Partial<DeviceKeys> | undefined;
  return value?.privateKey && value.publicKey ? (value as DeviceKeys) : undefined;
}

/** The public half as JWK (WebCrypto always lets the public key of a pair be exported). */
export async function publicJwkOf(keys: DeviceKeys): Promise<DevicePublicKey> {
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
}

function base64url(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The signing headers of a request body, signed now (plus the team clock's offset) with a fresh nonce. */
export async function signedHeaders(
  keys: DeviceKeys,
  deviceId: string | undefined,
  body: string,
  timestampMs: number,
): Promise<Record<string, string>> {
  const timestamp = String(Math.round(timestampMs));
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(18)).buffer as ArrayBuffer);
  const id = deviceId ?? PAIRING_DEVICE_ID;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    keys.privateKey,
    new TextEncoder().encode(deviceSigningString(id, timestamp, nonce, body)),
  );
  return {
    'Content-Type': 'application/json',
    [DEVICE_HEADERS.timestamp]: timestamp,
    [DEVICE_HEADERS.nonce]: nonce,
    [DEVICE_HEADERS.signature]: base64url(signature),
    ...(deviceId === undefined ? {} : { [DEVICE_HEADERS.device]: deviceId }),
  };
}
