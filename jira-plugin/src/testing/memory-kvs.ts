import type { PolicySetOptions, SetOptions } from '@forge/kvs';
import type { KvsPage, KvsQuery, TeamKvs } from '../team-store/team-kvs';

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

/** Forge answers at most this many keys per query page (its documented `limit` maximum). */
export const KVS_QUERY_MAX_LIMIT = 100;

/**
 * An in-memory stand-in for `@forge/kvs` with the semantics the app relies on: TTL expiry (against the given
 * clock), `FAIL_IF_EXISTS`, separate secret storage, key queries answered in ascending key order in pages of at
 * most 100 with an opaque cursor (as Forge's `query().where('key', beginsWith(…))` does), and a call count per
 * method.
 */
export class MemoryKvs implements TeamKvs {
  readonly calls = { get: 0, set: 0, delete: 0, query: 0, getSecret: 0, setSecret: 0 };
  private readonly data = new Map<string, Entry>();
  private readonly secrets = new Map<string, unknown>();

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

  query(): KvsQuery {
    let prefix = '';
    let after: string | undefined;
    let limit = 10; // Forge's default page size
    const builder: KvsQuery = {
      where: (_property, condition) => {
        prefix = String(condition.values[0]);
        return builder;
      },
      cursor: (cursor) => {
        after = Buffer.from(cursor, 'base64url').toString('utf8');
        return builder;
      },
      limit: (n) => {
        if (!Number.isInteger(n) || n < 1 || n > KVS_QUERY_MAX_LIMIT)
          throw new Error(`a KVS query limit must be 1 to ${KVS_QUERY_MAX_LIMIT}`);
        limit = n;
        return builder;
      },
      getMany: async <T>(): Promise<KvsPage<T>> => {
        this.calls.query++;
        const keys = this.keys(prefix)
          .sort()
          .filter((k) => after === undefined || k > after);
        const page = keys.slice(0, limit);
        const last = page.at(-1);
        return {
          results: page.map((key) => ({ key, value: structuredClone(this.data.get(key)?.value) as T })),
          ...(keys.length > limit && last !== undefined
            ? { nextCursor: Buffer.from(last, 'utf8').toString('base64url') }
            : {}),
        };
      },
    };
    return builder;
  }

  /** Forgets every key and secret (a fresh installation). */
  clear(): void {
    this.data.clear();
    this.secrets.clear();
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
