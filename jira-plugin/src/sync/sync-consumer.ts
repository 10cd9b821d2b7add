import type { AsyncEvent } from '@forge/events';
import { type ContinuedOutcome, type EnqueueSync, type RunSyncDeps, syncOrContinue } from './run-sync';
import { syncDeps, syncQueue } from './sync-deps';

/** A queue consumer may run 900 s (`timeoutSeconds` in the manifest); the sync keeps a minute in hand. */
export const CONSUMER_BUDGET_MS = 840_000;

/**
 * The consumer of the `cxplan-sync` queue: runs a sync asked for after a plan change, or continues one a shorter
 * invocation could not finish. With `@forge/events` 2 and later a consumer is a plain function invoked with the
 * `AsyncEvent` (the pushed `body`, plus the job's ids), not a resolver method.
 */
export function syncConsumer(
  makeDeps: () => RunSyncDeps,
  enqueue: EnqueueSync,
): (event: Pick<AsyncEvent, 'body'>) => Promise<ContinuedOutcome> {
  return async (event) => {
    const attempt = Number((event.body as { attempt?: unknown } | undefined)?.attempt ?? 0);
    return syncOrContinue(makeDeps(), enqueue, Number.isInteger(attempt) && attempt >= 0 ? attempt : 0);
  };
}

/** The `sync-consumer` function module's handler (consumer `cxplan-sync-consumer` on queue `cxplan-sync`). */
export const handler = syncConsumer(() => syncDeps(CONSUMER_BUDGET_MS), syncQueue());
