import api from '@forge/api';
import { Queue } from '@forge/events';
import kvs from '@forge/kvs';
import { JiraClient } from './jira-client';
import { PlanStore } from './plan-store';
import type { EnqueueSync, RunSyncDeps } from './run-sync';
import { OrganisationConfigStore } from './workflow/organisation-config';

/**
 * The production wiring of a sync: Jira as the app (the sync writes on behalf of the plan, not of whoever
 * clicked), Forge KVS, and the organisation configuration the admin page keeps. `budgetMs` is the invocation's.
 */
export function syncDeps(budgetMs: number, startedAt: number = Date.now()): RunSyncDeps {
  const organisation = new OrganisationConfigStore(kvs);
  return {
    client: new JiraClient(api.asApp(), { budgetMs, startedAt }),
    plans: new PlanStore(kvs),
    kvs,
    readTarget: () => organisation.read(),
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
