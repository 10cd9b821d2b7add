import { randomBytes } from 'node:crypto';
import { formatIngestSecretToken } from '@cxplan/core';
import { kvs } from '@forge/kvs';
import * as v from 'valibot';
import { INGEST_SECRET_KEY, type IngestKvs } from './ingest-kvs';

/** The stored ingest secret: the token (never returned after creation) and when it was made. */
const StoredSecretSchema = v.object({
  token: v.string(),
  keyId: v.string(),
  createdAt: v.string(),
  /** How many secrets came before this one (0 for the first). */
  generation: v.number(),
});
/** The stored ingest secret. */
export type StoredIngestSecret = v.InferOutput<typeof StoredSecretSchema>;

/** What the admin page may show at any time: whether a secret exists, its id and age, never the secret itself. */
export type IngestSecretStatus =
  | { configured: false }
  | { configured: true; keyId: string; createdAt: string; generation: number };

/** The one moment the secret is visible: right after it was generated or rotated. */
export interface IngestSecretShownOnce {
  secret: string;
  keyId: string;
  createdAt: string;
  generation: number;
}

/** Reads the current secret for signature checks; undefined when none was generated (or the record is unreadable). */
export async function readIngestSecret(kv: IngestKvs = kvs): Promise<StoredIngestSecret | undefined> {
  const raw = await kv.getSecret<unknown>(INGEST_SECRET_KEY);
  const parsed = v.safeParse(StoredSecretSchema, raw);
  return parsed.success ? parsed.output : undefined;
}

/** Whether a secret exists and since when; safe to show on the admin page. */
export async function ingestSecretStatus(kv: IngestKvs = kvs): Promise<IngestSecretStatus> {
  const stored = await readIngestSecret(kv);
  if (!stored) return { configured: false };
  return {
    configured: true,
    keyId: stored.keyId,
    createdAt: stored.createdAt,
    generation: stored.generation,
  };
}

/**
 * Generates the first secret and returns it once. Refuses when one exists: replacing a secret disconnects every
 * paired extension, so that is {@link rotateIngestSecret}, an explicit act.
 */
export async function generateIngestSecret(
  kv: IngestKvs = kvs,
  now: number = Date.now(),
): Promise<IngestSecretShownOnce> {
  if (await readIngestSecret(kv)) {
    throw new Error(
      'An ingest secret already exists; rotate it to get a new one (paired extensions must pair again).',
    );
  }
  return store(kv, 0, now);
}

/**
 * Replaces the secret with a new one and returns it once. From then on requests signed with the old secret are
 * refused (401 key-rotated) until the extension is paired with the new one.
 */
export async function rotateIngestSecret(
  kv: IngestKvs = kvs,
  now: number = Date.now(),
): Promise<IngestSecretShownOnce> {
  const previous = await readIngestSecret(kv);
  return store(kv, previous ? previous.generation + 1 : 0, now);
}

async function store(kv: IngestKvs, generation: number, now: number): Promise<IngestSecretShownOnce> {
  const keyId = `k${randomBytes(6).toString('base64url')}`;
  const token = formatIngestSecretToken(keyId, new Uint8Array(randomBytes(32)));
  const createdAt = new Date(now).toISOString();
  const record: StoredIngestSecret = { token, keyId, createdAt, generation };
  await kv.setSecret(INGEST_SECRET_KEY, record);
  return { secret: token, keyId, createdAt, generation };
}
