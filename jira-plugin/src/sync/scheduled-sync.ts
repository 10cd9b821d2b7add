import { RESOLVER_BUDGET_MS } from '../jira-client/jira-client';
import { type ContinuedOutcome, syncOrContinue } from './run-sync';
import { syncDeps, syncQueue } from './sync-deps';

/**
 * The `scheduled-sync` trigger's handler: an hourly sync, so status and summary changes made in Jira reach the
 * plan without anyone pressing a button, and a sync stopped by the time budget continues on its own.
 */
export async function handler(): Promise<ContinuedOutcome> {
  const outcome = await syncOrContinue(syncDeps(RESOLVER_BUDGET_MS), syncQueue());
  if (outcome.kind !== 'synced' || outcome.summary.failures.length > 0 || outcome.summary.stoppedEarly) {
    console.warn('cxplan scheduled sync', JSON.stringify(outcome).slice(0, 2000));
  }
  return outcome;
}
