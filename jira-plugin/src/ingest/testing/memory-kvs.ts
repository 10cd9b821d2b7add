import type { BatchGetResult, BatchResult, PolicySetOptions, SetOptions } from '@forge/kvs';
import { type IngestKvs, KVS_BATCH_LIMIT } from '../ingest-kvs';

/** The error Forge KVS throws when a `FAIL_IF_EXISTS` write finds the key (code KEY_CONFLICT, HTTP 409). */
export class KeyConflictError extends Error {
  readonly code = 'KEY_CONFLICT';
  readonly responseDetails = { status: 409, statusText: 'Conflict' };
  constructor(key: string) {
    super(`key ${key} already exists`);
  }
}

interface Entry {
  value: unknown;
  expiresAt?: number;
}

const TTL_UNIT_MS = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

/**
 * An in-memory stand-in for `@forge/kvs` with the semantics the ingest relies on: TTL expiry (against the given
 * clock), `FAIL_IF_EXISTS`, at most 25 keys per batch (more throws, as Forge does), separate secret storage,
 * and a call count per method. `failNextBatchSet` makes keys fail the way a partial batch failure does.
 */
export class MemoryKvs implements IngestKvs {
  readonly calls = { get: 0, set: 0, delete: 0, batchGet: 0, batchSet: 0, getSecret: 0, setSecret: 0 };
  private readonly data = new Map<string, Entry>();
  private readonly secrets = new Map<string, unknown>();
  /** Keys the next batchSet reports as failed. */
  failKeys = new Set<string>();

  constructor(private readonly clock: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.calls.get++;
    return structuredClone(this.live(key)?.value) as T | undefined;
  }

  async set<T>(key: string, value: T, options?: SetOptions | PolicySetOptions): Promise<void> {
    this.calls.set++;
    if (options && 'keyPolicy' in options && options.keyPolicy === 'FAIL_IF_EXISTS' && this.live(key)) {
      throw new KeyConflictError(key);
    }
    const ttl = options?.ttl;
    const entry: Entry = { value: structuredClone(value) };
    if (ttl) entry.expiresAt = this.clock() + ttl.value * TTL_UNIT_MS[ttl.unit];
    this.data.set(key, entry);
  }

  async batchGet<T>(items: Array<{ key: string }>): Promise<BatchGetResult<T>> {
    this.calls.batchGet++;
    checkBatch(items);
    const successfulKeys = items.flatMap(({ key }) => {
      const entry = this.live(key);
      return entry ? [{ key, value: structuredClone(entry.value) as T }] : [];
    });
    return { successfulKeys, failedKeys: [] };
  }

  async batchSet<T>(items: Array<{ key: string; value: T }>): Promise<BatchResult> {
    this.calls.batchSet++;
    checkBatch(items);
    const result: BatchResult = { successfulKeys: [], failedKeys: [] };
    for (const { key, value } of items) {
      if (this.failKeys.delete(key)) {
        result.failedKeys.push({
          key,
          error: { code: 'INTERNAL_SERVER_ERROR', message: 'simulated storage failure' },
        });
      } else {
        this.data.set(key, { value: structuredClone(value) });
        result.successfulKeys.push({ key });
      }
    }
    return result;
  }

  async getSecret<T>(key: string): Promise<T | undefined> {
    this.calls.getSecret++;
    return structuredClone(this.secrets.get(key)) as T | undefined;
  }

  async setSecret<T>(key: string, value: T): Promise<void> {
    this.calls.setSecret++;
    this.secrets.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.calls.delete++;
    this.data.delete(key);
  }

  /** Calls made so far, all methods together. */
  totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  /** Keys currently stored (live), for assertions. */
  keys(prefix = ''): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix) && this.live(k));
  }
}

function checkBatch(items: readonly { key: string }[]): void {
  if (items.length === 0) throw new Error('a KVS batch operation needs at least one key');
  if (items.length > KVS_BATCH_LIMIT)
    throw new Error(`a KVS batch operation takes at most ${KVS_BATCH_LIMIT} keys`);
  if (new Set(items.map((i) => i.key)).size !== items.length)
    throw new Error('a KVS batch names the same key twice');
}
