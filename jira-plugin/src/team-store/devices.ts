import { createHash, createPublicKey, randomInt, verify } from 'node:crypto';
import { type DeviceInfo, type DevicePublicKey, PairingCodeSchema } from '@cxplan/core';
import * as v from 'valibot';
import { sqlTimeToIso } from './entity-rows';
import { type Sql, select, write } from './sql';
import type { TeamKvs } from './team-kvs';

/**
 * Devices: each browser a person connects. Pairing starts inside Jira, where Forge knows who the person is (a
 * resolver's `context.accountId`): the app makes a short-lived, single-use code for that account. The extension
 * makes a non-extractable ECDSA P-256 key pair, and exchanges the code plus the public half (signed with the
 * private half, proving it holds the key) for a device at the web trigger. From then on every request is signed
 * by the device's key; the server maps the device to the person, so who captured, edited or acted is always the
 * server's word. The registry lives in Forge's secret storage (app-only, read without SQL on every request) and is
 * mirrored in cx_device for listing; a revocation is written to the secret first, so it takes effect at once.
 */

/** How long a pairing code stays valid. */
export const PAIRING_CODE_TTL_MINUTES = 10;
/** Most unused codes one person may hold at once (a code is cheap to make; a flood of them is not useful). */
export const MAX_OPEN_CODES = 5;

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A device as the registry keeps it (secret storage). */
export const DeviceRecordSchema = v.object({
  deviceId: v.string(),
  personId: v.string(),
  name: v.string(),
  publicKey: v.object({ kty: v.string(), crv: v.string(), x: v.string(), y: v.string() }),
  pairedAt: v.string(),
  revokedAt: v.optional(v.string()),
  revokedBy: v.optional(v.string()),
});
/** A device as the registry keeps it. */
export type DeviceRecord = v.InferOutput<typeof DeviceRecordSchema>;

/** Secret-storage key of a device. */
export const deviceKey = (deviceId: string): string => `cxplan-device:${deviceId}`;

/** What device management needs. */
export interface DeviceDeps {
  sql: Sql;
  kv: Pick<TeamKvs, 'getSecret' | 'setSecret'>;
  now: () => number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const sqlTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The device id a public key gets: derived from the key, so a retried pairing of the same browser is the same device. */
export function deviceIdOf(publicKey: DevicePublicKey): string {
  return createHash('sha256').update(`${publicKey.x}.${publicKey.y}`).digest('base64url').slice(0, 22);
}

/** Makes a pairing code for a person (from a Jira page, where Forge vouches for the account). */
export async function createPairingCode(
  deps: DeviceDeps,
  personId: string,
): Promise<{ code: string; expiresAt: string } | { refused: string }> {
  const now = deps.now();
  const open = await select<{ n: number }>(
    deps.sql,
    'SELECT COUNT(*) AS n FROM cx_pairing_code WHERE person_id = ? AND used_at IS NULL AND expires_at > ?',
    [personId, sqlTime(now)],
  );
  if (Number(open[0]?.n ?? 0) >= MAX_OPEN_CODES)
    return {
      refused: `You already have ${MAX_OPEN_CODES} unused codes; use one, or wait ${PAIRING_CODE_TTL_MINUTES} minutes.`,
    };
  const raw = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const expires = now + PAIRING_CODE_TTL_MINUTES * 60_000;
  await write(
    deps.sql,
    'INSERT INTO cx_pairing_code (code_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    [sha256(raw), personId, sqlTime(now), sqlTime(expires)],
  );
  return { code: raw.match(/.{4}/g)?.join('-') ?? raw, expiresAt: new Date(expires).toISOString() };
}

/** The outcome of a pairing request. */
export type PairOutcome = { ok: true; device: DeviceRecord } | { ok: false; message: string };

/**
 * Exchanges a pairing code for a device. The code is claimed by one compare-and-set statement (unused, unexpired),
 * so two browsers racing with one code cannot both get it. A retry by the same browser (same key) after a lost
 * answer finds the code claimed by its own device id and gets the same device again.
 */
export async function pairDevice(
  deps: DeviceDeps,
  input: { code: string; publicKey: DevicePublicKey; deviceName: string },
): Promise<PairOutcome> {
  const parsed = v.safeParse(PairingCodeSchema, input.code);
  const bad = {
    ok: false as const,
    message:
      'That pairing code is wrong, has expired or was already used: make a new one in Jira (cxplan → Connect a browser).',
  };
  if (!parsed.success) return bad;
  const hash = sha256(parsed.output);
  const deviceId = deviceIdOf(input.publicKey);
  const now = deps.now();
  const claimed = await write(
    deps.sql,
    'UPDATE cx_pairing_code SET used_at = ?, device_id = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
    [sqlTime(now), deviceId, hash, sqlTime(now)],
  );
  const row = (
    await select<{ person_id: string; device_id: string | null }>(
      deps.sql,
      'SELECT person_id, device_id FROM cx_pairing_code WHERE code_hash = ?',
      [hash],
    )
  )[0];
  if (!row || (claimed !== 1 && row.device_id !== deviceId)) return bad;
  const existing = await readDevice(deps, deviceId);
  if (existing?.revokedAt)
    return {
      ok: false,
      message:
        'This browser was disconnected from the team; make a new key (disconnect and connect again in the extension).',
    };
  const device: DeviceRecord = existing ?? {
    deviceId,
    personId: row.person_id,
    name: input.deviceName,
    publicKey: input.publicKey,
    pairedAt: new Date(now).toISOString(),
  };
  await deps.kv.setSecret(deviceKey(deviceId), device);
  await write(
    deps.sql,
    'INSERT INTO cx_device (device_id, person_id, name, public_key, paired_at) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE device_id = device_id',
    [
      deviceId,
      device.personId,
      device.name,
      JSON.stringify(device.publicKey),
      sqlTime(Date.parse(device.pairedAt)),
    ],
  );
  return { ok: true, device };
}

/** Reads a device from the registry (no SQL). */
export async function readDevice(
  deps: Pick<DeviceDeps, 'kv'>,
  deviceId: string,
): Promise<DeviceRecord | undefined> {
  const raw = await deps.kv.getSecret<unknown>(deviceKey(deviceId));
  const parsed = v.safeParse(DeviceRecordSchema, raw);
  return parsed.success ? parsed.output : undefined;
}

/** True when `signature` (IEEE P1363, 64 bytes) is the device key's ECDSA-SHA256 signature of `message`. */
export function signatureValid(
  publicKey: DevicePublicKey | DeviceRecord['publicKey'],
  message: string,
  signature: Uint8Array,
): boolean {
  try {
    const key = createPublicKey({
      key: { kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x, y: publicKey.y },
      format: 'jwk',
    });
    return verify('sha256', Buffer.from(message, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** A person's devices (or everyone's, for an admin), newest first. */
export async function listDevices(deps: DeviceDeps, personId: string | undefined): Promise<DeviceInfo[]> {
  const rows = await select<{
    device_id: string;
    person_id: string;
    name: string;
    paired_at: string;
    last_seen_at: string | null;
    revoked_at: string | null;
  }>(
    deps.sql,
    `SELECT device_id, person_id, name, DATE_FORMAT(paired_at, '%Y-%m-%d %H:%i:%s.%f') AS paired_at, DATE_FORMAT(last_seen_at, '%Y-%m-%d %H:%i:%s.%f') AS last_seen_at, DATE_FORMAT(revoked_at, '%Y-%m-%d %H:%i:%s.%f') AS revoked_at FROM cx_device ${personId === undefined ? '' : 'WHERE person_id = ?'} ORDER BY paired_at DESC LIMIT 500`,
    personId === undefined ? [] : [personId],
  );
  return rows.map((r) => ({
    deviceId: r.device_id,
    personId: r.person_id,
    name: r.name,
    pairedAt: sqlTimeToIso(r.paired_at),
    ...(r.last_seen_at && { lastSeenAt: sqlTimeToIso(r.last_seen_at) }),
    ...(r.revoked_at && { revokedAt: sqlTimeToIso(r.revoked_at) }),
  }));
}

/**
 * Revokes a device: the owner revokes their own, an admin anyone's. The registry entry is marked first, so the
 * very next request from that browser is refused; then the listing is updated.
 */
export async function revokeDevice(
  deps: DeviceDeps,
  deviceId: string,
  by: { personId: string; admin: boolean },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const device = await readDevice(deps, deviceId);
  if (!device) return { ok: false, message: 'There is no such device.' };
  if (device.personId !== by.personId && !by.admin)
    return { ok: false, message: "Only the device's owner or an admin may disconnect it." };
  const at = deps.now();
  if (!device.revokedAt)
    await deps.kv.setSecret(deviceKey(deviceId), {
      ...device,
      revokedAt: new Date(at).toISOString(),
      revokedBy: by.personId,
    });
  await write(
    deps.sql,
    'UPDATE cx_device SET revoked_at = COALESCE(revoked_at, ?), revoked_by = COALESCE(revoked_by, ?) WHERE device_id = ?',
    [sqlTime(at), by.personId, deviceId],
  );
  return { ok: true };
}

/** Records that a device was used (on pushes only: an idle pull writes nothing). */
export async function touchDevice(deps: DeviceDeps, deviceId: string): Promise<void> {
  await write(deps.sql, 'UPDATE cx_device SET last_seen_at = ? WHERE device_id = ?', [
    sqlTime(deps.now()),
    deviceId,
  ]);
}
