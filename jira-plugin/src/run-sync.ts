import {
  applyJiraPulls,
  type Department,
  type Organisation,
  type Person,
  type SyncConflict,
  type SyncFinding,
} from '@cxplan/core';
import type { JiraClient } from './jira-client';
import type { PlanStore } from './plan-store';
import { type SyncFailure, syncToJira } from './sync-executor';

/** Where the plan goes: the organisation, its departments and the configured project (admin page). */
export interface SyncTarget {
  readonly organisation: Organisation;
  readonly departments: readonly Department[];
  /** The people of the organisation (their id is the Atlassian account id); maps extension person ids. */
  readonly people?: readonly Person[] | undefined;
  readonly jira?:
    | { readonly projectKey: string; readonly epicIssueTypeId: string; readonly actionIssueTypeId: string }
    | undefined;
}

/** The KVS calls the sync lock and the report need. */
export interface SyncKeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(
    key: string,
    value: T,
    options?: { keyPolicy: 'FAIL_IF_EXISTS'; ttl: { value: number; unit: 'SECONDS' } },
  ): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a sync run needs; production wiring passes Forge's, tests pass fakes. */
export interface RunSyncDeps {
  readonly client: JiraClient;
  readonly plans: PlanStore;
  readonly kvs: SyncKeyValueStore;
  readonly readTarget: () => Promise<SyncTarget>;
  readonly now: () => Date;
}

/** A sync report small enough for KVS and the admin page: counts, plus the first items of each list. */
export interface SyncSummary {
  readonly at: string;
  readonly cycleId: string;
  readonly projectKey: string;
  readonly created: number;
  readonly edited: number;
  readonly transitioned: number;
  readonly propertiesWritten: number;
  readonly pulled: number;
  readonly conflicts: readonly SyncConflict[];
  readonly failures: readonly SyncFailure[];
  readonly findings: readonly SyncFinding[];
  readonly stoppedEarly?: string;
}

/** The outcome of asking for a sync. */
export type SyncOutcome =
  | { readonly kind: 'not-configured'; readonly message: string }
  | { readonly kind: 'no-plan'; readonly message: string }
  | { readonly kind: 'busy'; readonly message: string }
  | { readonly kind: 'synced'; readonly summary: SyncSummary };

/** KVS key of the last sync's summary. */
export const LAST_REPORT_KEY = 'cxplan-sync:last-report';
const LOCK_KEY = 'cxplan-sync:lock';
const LIST_LIMIT = 50;

/**
 * Runs one sync of a cycle (the current one unless `cycleId` names another): one at a time (a KVS lock that expires on its own if an invocation dies),
 * reads Jira, applies the plan, saves what flowed back into the stored plan and keeps a summary for the admin page.
 */
export async function runSync(deps: RunSyncDeps, onlyCycleId?: string): Promise<SyncOutcome> {
  const target = await deps.readTarget();
  if (!target.jira) {
    return {
      kind: 'not-configured',
      message: 'Choose the Jira project and issue types on the cxplan admin page first.',
    };
  }
  const cycleId = onlyCycleId ?? (await deps.plans.currentCycleId());
  const plan = cycleId ? await deps.plans.load(cycleId) : undefined;
  if (!cycleId || !plan) {
    return {
      kind: 'no-plan',
      message: 'No plan to sync yet: send it from the cxplan extension or import it on the admin page.',
    };
  }
  try {
    // The lock outlives this invocation's budget by a minute, so a crashed run frees it on its own.
    const lockSeconds = Math.ceil(Math.max(0, deps.client.remainingMs()) / 1000) + 60;
    await deps.kvs.set(
      LOCK_KEY,
      { at: deps.now().toISOString() },
      { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: lockSeconds, unit: 'SECONDS' } },
    );
  } catch (error) {
    return { kind: 'busy', message: `Another sync is running; try again in a minute. (${String(error)})` };
  }
  try {
    const config = { ...target.jira, cycleId };
    const workspace = { organisation: target.organisation, departments: [...target.departments], ...plan };
    const report = await syncToJira(deps.client, workspace, config);
    const at = deps.now().toISOString();
    const updated = applyJiraPulls(plan, report.pulls, at);
    const saved = await deps.plans.save(updated, plan);
    if (!saved.ok) throw new Error(`Could not save what flowed back from Jira: ${saved.message}`);
    const summary: SyncSummary = {
      at,
      cycleId,
      projectKey: config.projectKey,
      created: report.created.length,
      edited: report.edited,
      transitioned: report.transitioned,
      propertiesWritten: report.propertiesWritten,
      pulled: report.pulls.filter((p) => p.kind !== 'link').length,
      conflicts: report.conflicts.slice(0, LIST_LIMIT),
      failures: report.failures.slice(0, LIST_LIMIT),
      findings: report.findings.slice(0, LIST_LIMIT),
      ...(report.stoppedEarly && { stoppedEarly: report.stoppedEarly }),
    };
    await deps.kvs.set(LAST_REPORT_KEY, summary);
    return { kind: 'synced', summary };
  } finally {
    await deps.kvs.delete(LOCK_KEY);
  }
}

/** Puts a continuation of the sync on the Forge queue (`cxplan-sync`), after `delaySeconds`. */
export type EnqueueSync = (body: { attempt: number; reason: string }, delaySeconds: number) => Promise<void>;

/** How many times a sync is continued on the queue before it waits for the hourly run. */
export const MAX_CONTINUATIONS = 10;

/** A sync outcome, and whether the rest was handed to the queue consumer. */
export type ContinuedOutcome = SyncOutcome & { readonly continuing: boolean };

/**
 * Runs a sync and, when it stopped at the end of its time budget or found another sync running, hands the rest to
 * the queue consumer, which has up to 900 s per invocation. A first push of a large plan to a slow site therefore
 * finishes on its own; every continuation starts by reading Jira again, so nothing is created twice.
 */
export async function syncOrContinue(
  deps: RunSyncDeps,
  enqueue: EnqueueSync,
  attempt = 0,
): Promise<ContinuedOutcome> {
  const outcome = await runSync(deps);
  const unfinished =
    (outcome.kind === 'synced' && outcome.summary.stoppedEarly !== undefined) || outcome.kind === 'busy';
  if (!unfinished || attempt >= MAX_CONTINUATIONS) return { ...outcome, continuing: false };
  await enqueue(
    { attempt: attempt + 1, reason: outcome.kind === 'busy' ? 'busy' : 'time budget' },
    outcome.kind === 'busy' ? 60 : 5,
  );
  return { ...outcome, continuing: true };
}
