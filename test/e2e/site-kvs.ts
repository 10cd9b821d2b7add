import { MemoryKvs } from '../../jira-plugin/src/ingest/testing/memory-kvs';

/**
 * The Forge KVS of the simulated Jira site: the ingest's in-memory KVS (TTL, FAIL_IF_EXISTS, batches, secrets)
 * plus `delete`, which the plan store and the sync lock use. The test file mocks `@forge/kvs` with this object,
 * so the app's modules and the test read the same storage.
 */
class SiteKvs extends MemoryKvs {
  /** Deletes a key: MemoryKvs has no delete, so the entry is replaced by one that has already expired. */
  async delete(key: string): Promise<void> {
    await this.set(key, null, { ttl: { value: 0, unit: 'SECONDS' } });
  }
}

/** The one KVS of the site. */
export const siteKvs = new SiteKvs();
