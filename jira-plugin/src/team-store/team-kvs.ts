import type { PolicySetOptions, SetOptions } from '@forge/kvs';

/** A page of a KVS key query: Forge answers keys in ascending order, at most 100 a page, with a cursor for the next. */
export interface KvsPage<T> {
  results: Array<{ key: string; value: T }>;
  nextCursor?: string;
}

/** The part of `@forge/kvs`'s query builder the app uses: keys beginning with a prefix, page by page. */
export interface KvsQuery {
  where(property: 'key', condition: { condition: 'BEGINS_WITH'; values: [string | number] }): KvsQuery;
  cursor(cursor: string): KvsQuery;
  limit(limit: number): KvsQuery;
  getMany<T>(): Promise<KvsPage<T>>;
}

/**
 * The part of `@forge/kvs` the Jira app uses: plain keys (the feed head, the schema marker, nonces, locks, the Jira
 * project choice, the last sync report), key queries (moving an older installation's data into the team store) and
 * secret storage (the device registry). The real `kvs` satisfies it; tests pass {@link MemoryKvs}-like doubles with
 * Forge's semantics (TTL, FAIL_IF_EXISTS, ordered paged queries).
 */
export interface TeamKvs {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: SetOptions | PolicySetOptions): Promise<void>;
  delete(key: string): Promise<void>;
  getSecret<T>(key: string): Promise<T | undefined>;
  setSecret<T>(key: string, value: T): Promise<void>;
  query(): KvsQuery;
}

/** KVS key of the Jira project and issue types the plan goes to (chosen on the admin page). */
export const JIRA_TARGET_KEY = 'cxplan-jira-target';

/** Forge KVS stores values of at most 240 KiB. */
export const KVS_VALUE_LIMIT_BYTES = 240 * 1024;

/** True when a KVS error says the key already exists (a `FAIL_IF_EXISTS` write lost the race): KEY_CONFLICT / 409. */
export function isKeyConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; responseDetails?: { status?: unknown } };
  return e.code === 'KEY_CONFLICT' || e.responseDetails?.status === 409;
}
