import { kvs } from '@forge/kvs';
import { WEBTRIGGER_BUDGET_MS } from '../jira-client';
import { syncDeps } from '../sync-deps';
import { createIngestHandler } from './ingest-handler';
import { planIngestSink } from './plan-ingest';

/** Time kept back from the web trigger's 55 s for storing captures and answering before Forge stops the call. */
const ANSWER_RESERVE_MS = 10_000;

/**
 * The `webtrigger` module's function (response type `dynamic`): receives signed batches from the extension.
 * Everything it does is in {@link createIngestHandler}; this file only wires the real Forge storage and the Jira
 * sync (goals and actions go through the stored plan and the sync planner to epics and issues).
 */
export const handler = createIngestHandler({
  kv: kvs,
  plan: planIngestSink(() => syncDeps(WEBTRIGGER_BUDGET_MS - ANSWER_RESERVE_MS)),
});
