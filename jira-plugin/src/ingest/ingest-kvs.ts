import type { BatchGetResult, BatchResult, PolicySetOptions, SetOptions } from '@forge/kvs';

/**
 * The part of `@forge/kvs` the ingest uses. The real `kvs` object satisfies it; tests and the loopback server
 * pass an in-memory one with the same semantics (TTL, `FAIL_IF_EXISTS`, 25 keys per batch).
 */
export interface IngestKvs {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: SetOptions | PolicySetOptions): Promise<void>;
  batchGet<T>(items: Array<{ key: string }>): Promise<BatchGetResult<T>>;
  batchSet<T>(items: Array<{ key: string; value: T }>): Promise<BatchResult>;
  getSecret<T>(key: string): Promise<T | undefined>;
  setSecret<T>(key: string, value: T): Promise<void>;
}

/** Forge KVS takes at most 25 keys in one batch operation. */
export const KVS_BATCH_LIMIT = 25;

/** Forge KVS stores values of at most 240 KiB. */
export const KVS_VALUE_LIMIT_BYTES = 240 * 1024;

/** Storage key of an ingested capture, by its client id (the idempotency key). */
export function evidenceKey(clientId: string): string {
  return `cxplan-evidence:${clientId}`;
}

/** Storage key of a seen nonce. */
export function nonceKey(nonce: string): string {
  return `cxplan-ingest-nonce:${nonce}`;
}

/** Secret-storage key of the per-installation ingest secret. */
export const INGEST_SECRET_KEY = 'cxplan-ingest-secret';

/** True when a KVS error says the key already exists (a `FAIL_IF_EXISTS` write lost the race): KEY_CONFLICT / 409. */
export function isKeyConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; responseDetails?: { status?: unknown } };
  return e.code === 'KEY_CONFLICT' || e.responseDetails?.status === 409;
}
