import api from '@forge/api';
import { Queue } from '@forge/events';
import { JiraClient } from '../jira-client/jira-client';
import { teamStoreDeps } from '../team-store/team-store';
import type { EnqueueSync, RunSyncDeps } from './run-sync';

/**
 * The production wiring of a sync: Jira as the app (the sync writes on behalf of the plan, not of whoever
 * clicked) and the team store. `budgetMs` is the invocation's.
 */
export function syncDeps(budgetMs: number, startedAt: number = Date.now()): RunSyncDeps {
  return {
    client: new JiraClient(api.asApp(), { budgetMs, startedAt }),
    store: teamStoreDeps(),
    now: () => new Date(),
  };
}

/** The Forge queue the `cxplan-sync-consumer` module consumes. */
export const SYNC_QUEUE = 'cxplan-sync';

/** Continues a sync on the Forge queue. */
export function syncQueue(): EnqueueSync {
  const queue = new Queue({ key: SYNC_QUEUE });
  return async (body, delaySeconds) => {
    await queue.push({ body, delayInSeconds: delaySeconds });
  };
}
