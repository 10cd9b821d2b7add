import { RESOLVER_BUDGET_MS } from './jira-client';
import { runSync, type SyncOutcome } from './run-sync';
import { syncDeps } from './sync-deps';

/**
 * The `scheduled-sync` trigger's handler: an hourly sync, so status and summary changes made in Jira reach the
 * plan without anyone pressing a button, and a sync stopped by the time budget continues on its own.
 */
export async function handler(): Promise<SyncOutcome> {
  const outcome = await runSync(syncDeps(RESOLVER_BUDGET_MS));
  if (outcome.kind !== 'synced' || outcome.summary.failures.length > 0 || outcome.summary.stoppedEarly) {
    console.warn('cxplan scheduled sync', JSON.stringify(outcome).slice(0, 2000));
  }
  return outcome;
}
