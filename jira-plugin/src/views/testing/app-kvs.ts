import { MemoryKvs } from '../../ingest/testing/memory-kvs';

/**
 * The app's Forge KVS in view tests: the ingest's in-memory store (TTL, batches, secrets) plus `delete`, which the
 * plan store needs and MemoryKvs does not have; a deleted key reads back as undefined, as in Forge KVS.
 */
export class AppKvs extends MemoryKvs {
  async delete(key: string): Promise<void> {
    await this.set(key, undefined);
  }
}
