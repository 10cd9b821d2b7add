import { JIRA_APP_PERSON_ID, type SyncConflict, type SyncFinding, type SyncWorkspace } from '@cxplan/core';
import type { JiraClient } from '../jira-client/jira-client';
import { cyclesWithGoals, live, readCyclePlan, type StoredPlan } from '../team-store/plan-reads';
import { applyOps } from '../team-store/push';
import { appOpId, type TeamStoreDeps } from '../team-store/team-store';
import { type OrganisationConfig, OrganisationConfigStore } from '../workflow/organisation-config';
import { pullOps } from './pull-ops';
import { type SyncFailure, type SyncReport, syncToJira } from './sync-executor';
import { type EnqueueSync, syncStarted } from './sync-request';

export type { EnqueueSync } from './sync-request';

/** What a sync run needs; production wiring passes Forge's, tests a store on MariaDB and the fake Jira. */
export interface RunSyncDeps {
  readonly client: JiraClient;
  /** The team store: the plan is read from it and what flows back from Jira is written into it. */
  readonly store: TeamStoreDeps;
  readonly now: () => Date;
}

/** A sync report small enough for KVS and the admin page: counts, plus the first items of each list. */
export interface SyncSummary {
  readonly at: string;
  /** The cycles synced, in order. */
  readonly cycleIds: readonly string[];
  readonly projectKey: string;
  readonly created: number;
  readonly edited: number;
  readonly transitioned: number;
  readonly propertiesWritten: number;
  /** Changes brought back from Jira into the team store (summaries, statuses; links not counted). */
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

/** The cycles a sync visits: every cycle with department goals that is not closed (or the one asked for). */
export async function cyclesToSync(
  store: TeamStoreDeps,
  config: OrganisationConfig,
  onlyCycleId?: string,
): Promise<string[]> {
  if (onlyCycleId !== undefined) return [onlyCycleId];
  const closed = new Set(config.cycles.filter((c) => c.status === 'closed').map((c) => c.id));
  return (await cyclesWithGoals(store.sql)).filter((id) => !closed.has(id)).sort();
}

/** The workspace the core planner reads: the organisation and a cycle's plan, deleted goals and actions by id. */
export function syncWorkspace(config: OrganisationConfig, plan: StoredPlan): SyncWorkspace {
  return {
    organisation: config.organisation,
    departments: config.departments,
    people: config.people,
    orgGoals: live(plan.orgGoals),
    deptGoals: live(plan.deptGoals),
    actions: live(plan.actions),
    deleted: {
      deptGoals: plan.deptGoals.filter((g) => g.deleted).map((g) => g.id),
      actions: plan.actions.filter((a) => a.deleted).map((a) => a.id),
    },
  };
}

/**
 * Runs one sync: one at a time (a KVS lock that expires on its own if an invocation dies). For each open cycle
 * with goals it reads the plan from the team store (tombstones too), reads Jira, applies the plan, and writes what
 * flowed back into the store — issue links as the app's own fields, summaries and statuses changed in Jira as
 * trusted changes on the version it read — then keeps a summary for the sync page.
 */
export async function runSync(deps: RunSyncDeps, onlyCycleId?: string): Promise<SyncOutcome> {
  const config = await new OrganisationConfigStore(deps.store).read();
  if (!config.jira) {
    return {
      kind: 'not-configured',
      message: 'Choose the Jira project and issue types on the cxplan admin page first.',
    };
  }
  const cycleIds = await cyclesToSync(deps.store, config, onlyCycleId);
  if (cycleIds.length === 0) {
    return {
      kind: 'no-plan',
      message: 'No department goals to sync yet: plan them in the cxplan extension (paired with this Jira).',
    };
  }
  const kv = deps.store.kv;
  try {
    // The lock outlives this invocation's budget by a minute, so a crashed run frees it on its own.
    const lockSeconds = Math.ceil(Math.max(0, deps.client.remainingMs()) / 1000) + 60;
    await kv.set(
      LOCK_KEY,
      { at: deps.now().toISOString() },
      { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: lockSeconds, unit: 'SECONDS' } },
    );
  } catch (error) {
    return { kind: 'busy', message: `Another sync is running; try again in a minute. (${String(error)})` };
  }
  try {
    await syncStarted(kv);
    const reports: SyncReport[] = [];
    let pulled = 0;
    let unfinished: string | undefined;
    for (const cycleId of cycleIds) {
      const plan = await readCyclePlan(deps.store.sql, cycleId);
      const report = await syncToJira(deps.client, syncWorkspace(config, plan), { ...config.jira, cycleId });
      reports.push(report);
      const back = await bringBack(deps, report, plan);
      pulled += back.pulled;
      unfinished = report.stoppedEarly ?? back.unfinished;
      if (unfinished) break;
    }
    const all = <T>(pick: (r: SyncReport) => readonly T[]): T[] => reports.flatMap(pick).slice(0, LIST_LIMIT);
    const sum = (pick: (r: SyncReport) => number): number => reports.reduce((n, r) => n + pick(r), 0);
    const stoppedEarly = unfinished;
    const summary: SyncSummary = {
      at: deps.now().toISOString(),
      cycleIds: cycleIds.slice(0, reports.length),
      projectKey: config.jira.projectKey,
      created: sum((r) => r.created.length),
      edited: sum((r) => r.edited),
      transitioned: sum((r) => r.transitioned),
      propertiesWritten: sum((r) => r.propertiesWritten),
      pulled,
      conflicts: all((r) => r.conflicts),
      failures: all((r) => r.failures),
      findings: all((r) => r.findings),
      ...(stoppedEarly && { stoppedEarly }),
    };
    await kv.set(LAST_REPORT_KEY, summary);
    return { kind: 'synced', summary };
  } finally {
    await kv.delete(LOCK_KEY);
  }
}

/**
 * Writes what flowed back from Jira into the store, within the invocation's remaining time; returns how many
 * summaries and statuses were taken, and why it stopped early if it did (what it did not write, the next sync
 * finds again: a link not recorded is a link the planner still sees missing).
 */
async function bringBack(
  deps: RunSyncDeps,
  report: SyncReport,
  plan: StoredPlan,
): Promise<{ pulled: number; unfinished?: string }> {
  const ops = pullOps(report.pulls, plan, deps.now().toISOString(), (what) => appOpId(deps.store, what));
  const deadlineMs = deps.store.now() + Math.max(0, deps.client.remainingMs());
  const links = await applyOps(deps.store, JIRA_APP_PERSON_ID, ops.links, { system: true, deadlineMs });
  const edits =
    links.length < ops.links.length
      ? []
      : await applyOps(deps.store, JIRA_APP_PERSON_ID, ops.edits, { trusted: true, deadlineMs });
  const unfinished =
    links.length + edits.length < ops.links.length + ops.edits.length
      ? 'The time ran out while recording in the team store what came back from Jira; the next sync records the rest.'
      : undefined;
  // A pull a replica overtook (it changed the same field after the sync read it) is not an error: the next sync
  // finds the store's newer value and pushes it to Jira.
  return {
    pulled: edits.filter((r) => r.status === 'applied').length,
    ...(unfinished && { unfinished }),
  };
}

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
