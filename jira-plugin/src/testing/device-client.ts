import { webcrypto } from 'node:crypto';
import {
  DEVICE_HEADERS,
  type DevicePublicKey,
  deviceSigningString,
  PAIRING_DEVICE_ID,
  TEAM_PROTOCOL_VERSION,
} from '@cxplan/core';
import type { TeamRequestIn } from '../team-store/team-endpoint';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * A browser's side of device signing for tests, with the same WebCrypto calls the extension makes: a
 * non-extractable ECDSA P-256 key pair, the public half exported as JWK, requests signed over the protocol's
 * signing string.
 */
export class TestDevice {
  deviceId: string | undefined;
  private constructor(
    private readonly keys: CryptoKeyPair,
    readonly publicKey: DevicePublicKey,
  ) {}

  static async create(): Promise<TestDevice> {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const jwk = await webcrypto.subtle.exportKey('jwk', keys.publicKey);
    return new TestDevice(keys, { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) });
  }

  /** A signed request with this device's id (or as a pairing request when it has none yet). */
  async request(
    body: unknown,
    options: { timestampMs?: number; nonce?: string; deviceId?: string; bodyText?: string } = {},
  ): Promise<TeamRequestIn> {
    const text = options.bodyText ?? JSON.stringify(body);
    const id = options.deviceId ?? this.deviceId ?? PAIRING_DEVICE_ID;
    const timestamp = String(options.timestampMs ?? Date.now());
    const nonce =
      options.nonce ?? Buffer.from(webcrypto.getRandomValues(new Uint8Array(18))).toString('base64url');
    const signature = await webcrypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      this.keys.privateKey,
      new TextEncoder().encode(deviceSigningString(id, timestamp, nonce, text)),
    );
    const headers: Record<string, string[]> = {
      'content-type': ['application/json'],
      [DEVICE_HEADERS.timestamp]: [timestamp],
      [DEVICE_HEADERS.nonce]: [nonce],
      [DEVICE_HEADERS.signature]: [Buffer.from(signature).toString('base64url')],
    };
    if (id !== PAIRING_DEVICE_ID) headers[DEVICE_HEADERS.device] = [id];
    return { method: 'POST', headers, body: text };
  }

  /** A pairing request for a code. */
  pairRequest(code: string, deviceName = 'Test browser'): Promise<TeamRequestIn> {
    return this.request({
      version: TEAM_PROTOCOL_VERSION,
      type: 'pair',
      code,
      publicKey: this.publicKey,
      deviceName,
    });
  }
}
