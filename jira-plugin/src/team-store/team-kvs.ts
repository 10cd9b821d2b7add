import type { IngestKvs } from '../ingest/ingest-kvs';

/**
 * The part of `@forge/kvs` the team store uses: plain keys (the feed head, the schema marker, nonces, locks) and
 * secret storage (the device registry). The real `kvs` satisfies it; tests pass an in-memory one with Forge's
 * semantics (TTL, FAIL_IF_EXISTS).
 */
export interface TeamKvs extends IngestKvs {
  delete(key: string): Promise<void>;
}
