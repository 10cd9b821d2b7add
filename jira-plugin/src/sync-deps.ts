import api from '@forge/api';
import kvs from '@forge/kvs';
import { JiraClient } from './jira-client';
import { PlanStore } from './plan-store';
import type { RunSyncDeps } from './run-sync';
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
