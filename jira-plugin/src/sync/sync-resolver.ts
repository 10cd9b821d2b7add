import { checkProjectFit, type ProjectFit } from '@cxplan/core';
import Resolver from '@forge/resolver';
import { JiraError, RESOLVER_BUDGET_MS } from '../jira-client/jira-client';
import { OrganisationConfigStore } from '../workflow/organisation-config';
import {
  type ContinuedOutcome,
  cyclesToSync,
  type EnqueueSync,
  LAST_REPORT_KEY,
  type RunSyncDeps,
  type SyncSummary,
  syncOrContinue,
} from './run-sync';
import { syncDeps, syncQueue } from './sync-deps';

/** What the sync page shows: the configured project, the cycles a sync visits and the last sync's summary. */
export interface SyncStatus {
  readonly projectKey?: string;
  readonly cycleIds: readonly string[];
  readonly lastReport?: SyncSummary;
}

/**
 * The resolver behind the sync page: status, project check and "sync now". The plan itself comes from the team
 * store (the paired browsers write it); each call gets fresh dependencies with its own 25-second budget, counted
 * from when the call started.
 */
export function syncResolver(makeDeps: () => RunSyncDeps, enqueue: EnqueueSync): Resolver {
  const resolver = new Resolver();
  resolver.define('getSyncStatus', async (): Promise<SyncStatus> => {
    const deps = makeDeps();
    const config = await new OrganisationConfigStore(deps.store).read();
    const lastReport = await deps.store.kv.get<SyncSummary>(LAST_REPORT_KEY);
    return {
      ...(config.jira && { projectKey: config.jira.projectKey }),
      cycleIds: await cyclesToSync(deps.store, config),
      ...(lastReport && { lastReport }),
    };
  });
  resolver.define('checkProject', async ({ payload }): Promise<ProjectFit> => {
    const projectKey = (payload as { projectKey?: unknown }).projectKey;
    if (typeof projectKey !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(projectKey)) {
      return { ok: false, problem: 'projectKey must be a Jira project key such as CX' };
    }
    try {
      return checkProjectFit(await makeDeps().client.getProject(projectKey));
    } catch (error) {
      if (error instanceof JiraError && error.status === 404) {
        return { ok: false, problem: `Project ${projectKey} does not exist or the app cannot see it.` };
      }
      throw error;
    }
  });
  resolver.define('syncNow', async (): Promise<ContinuedOutcome> => syncOrContinue(makeDeps(), enqueue));
  return resolver;
}

/** The `sync-resolver` function module's handler. */
export const handler = syncResolver(() => syncDeps(RESOLVER_BUDGET_MS), syncQueue()).getDefinitions();
