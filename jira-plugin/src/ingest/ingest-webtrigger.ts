import { kvs } from '@forge/kvs';
import { createIngestHandler } from './ingest-handler';

/**
 * The `webtrigger` module's function (response type `dynamic`): receives signed batches from the extension.
 * Everything it does is in {@link createIngestHandler}; this file only wires the real Forge storage.
 */
export const handler = createIngestHandler({ kv: kvs });
