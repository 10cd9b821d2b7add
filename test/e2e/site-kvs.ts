import { MemoryKvs } from '../../jira-plugin/src/team-store/testing/memory-kvs';

/**
 * The Forge KVS of the simulated Jira site: the in-memory KVS (TTL, FAIL_IF_EXISTS, batches, secrets, delete).
 * The test file mocks `@forge/kvs` with this object, so the app's modules and the test read the same storage.
 */
export const siteKvs = new MemoryKvs();
