import Resolver from '@forge/resolver';
import { type ContinuedOutcome, type EnqueueSync, type RunSyncDeps, syncOrContinue } from './run-sync';
import { syncDeps, syncQueue } from './sync-deps';

/** A queue consumer may run 900 s (`timeoutSeconds` in the manifest); the sync keeps a minute in hand. */
export const CONSUMER_BUDGET_MS = 840_000;

/** The consumer's resolver: method `sync` continues a sync that a shorter invocation could not finish. */
export function syncConsumer(makeDeps: () => RunSyncDeps, enqueue: EnqueueSync): Resolver {
  return new Resolver().define('sync', async ({ payload }): Promise<ContinuedOutcome> => {
    const attempt = Number((payload as { attempt?: unknown }).attempt ?? 0);
    return syncOrContinue(makeDeps(), enqueue, Number.isInteger(attempt) && attempt >= 0 ? attempt : 0);
  });
}

/** The `sync-consumer` function module's handler (consumer `cxplan-sync-consumer` on queue `cxplan-sync`). */
export const handler = syncConsumer(() => syncDeps(CONSUMER_BUDGET_MS), syncQueue()).getDefinitions();
