import { canonicalJson } from '@cxplan/core';
import { entityKey, entityOf, type OutboxItem, type OutboxOperation } from './outbox/outbox-item';
import { newOutboxItem, retryFailed } from './outbox/outbox-transitions';
import { SAMPLE_PREFIX } from './sample-workspace';
import type { CxplanDb } from './storage/db';

/**
 * The plan's way to Jira: department goals and actions written through the storage service are queued in the
 * same outbox as clips (one entry per entity while it waits, so 50 saves in a row send once, the newest version),
 * and sent by the same signed batch sender as `deptGoal` / `action` ingest items.
 */

/** The workspace collections that are sent to Jira as part of the plan. */
export const PLAN_COLLECTIONS = ['deptGoals', 'actions'] as const;
/** A workspace collection sent to Jira as part of the plan. */
export type PlanCollection = (typeof PLAN_COLLECTIONS)[number];

/** True for the collections whose writes are queued for Jira. */
export function isPlanCollection(collection: string): collection is PlanCollection {
  return (PLAN_COLLECTIONS as readonly string[]).includes(collection);
}

/** The outbox operation that sends one goal or action. */
export function planOperation(collection: PlanCollection, id: string): OutboxOperation {
  return collection === 'deptGoals'
    ? { kind: 'deptGoal.upsert', deptGoalId: id }
    : { kind: 'action.upsert', actionId: id };
}

/**
 * Whether a row goes to Jira: the removable sample workspace never does (it would create epics in a real project
 * that "remove the sample" cannot take back).
 */
export function sendsToJira(id: string): boolean {
  return !id.startsWith(SAMPLE_PREFIX);
}

/** True when a write changes what Jira would receive (an unchanged re-save queues nothing). */
export function planRowChanged(before: unknown, after: unknown): boolean {
  return before === undefined || canonicalJson(before) !== canonicalJson(after);
}

/**
 * Queues an upsert for each goal or action unless one for the same entity is still waiting (pending): that one
 * sends the newest row when it goes. An entry already being sent carries the older version, so a new one is
 * queued behind it. The waiting entries are read once, whatever the number of rows (a bulk save, a restore).
 * Call inside a read-write transaction that includes `db.outbox`. Returns how many entries were added.
 */
export async function queuePlanUpserts(
  db: CxplanDb,
  operations: readonly OutboxOperation[],
  now: number,
  newId: () => string,
): Promise<number> {
  if (operations.length === 0) return 0;
  const waiting = new Set(
    (await db.outbox.where('status').equals('pending').toArray()).map((r) => entityKey(r.operation)),
  );
  const added = [];
  for (const operation of operations) {
    const key = entityKey(operation);
    if (waiting.has(key)) continue;
    waiting.add(key);
    added.push(newOutboxItem(newId(), operation, now));
  }
  await db.outbox.bulkAdd(added);
  return added.length;
}

/** Drops the waiting upserts of a deleted goal or action (the protocol has no delete; nothing is left to send). */
export async function dropPendingPlan(db: CxplanDb, operation: OutboxOperation): Promise<number> {
  const key = entityKey(operation);
  return db.outbox
    .where('status')
    .equals('pending')
    .filter((r) => entityKey(r.operation) === key)
    .delete();
}

/** What "send the plan now" queued. */
export interface PlanQueueReport {
  /** Goals and actions that had never been queued (e.g. written before pairing existed). */
  queued: number;
  /** Goals and actions whose last send had failed, queued again with fresh attempts. */
  retried: number;
}

/**
 * Makes sure the whole plan is on its way: queues every goal and action that was never queued and retries those
 * whose last send failed. Entities already sent are not re-sent: every later change would have queued an entry.
 */
export async function queueUnsentPlan(
  db: CxplanDb,
  now: number,
  newId: () => string,
): Promise<PlanQueueReport> {
  const report: PlanQueueReport = { queued: 0, retried: 0 };
  await db.transaction('rw', db.deptGoals, db.actions, db.outbox, async () => {
    const entries = (await db.outbox.toArray()).filter((e) => entityOf(e.operation).kind !== 'evidence');
    const states = planSyncStates(entries);
    const byKey = new Map<string, OutboxItem[]>();
    for (const e of entries)
      byKey.set(entityKey(e.operation), [...(byKey.get(entityKey(e.operation)) ?? []), e]);
    const rows: Array<[PlanCollection, string]> = [
      ...(await db.deptGoals.toCollection().primaryKeys()).map(
        (id) => ['deptGoals', id] as [PlanCollection, string],
      ),
      ...(await db.actions.toCollection().primaryKeys()).map(
        (id) => ['actions', id] as [PlanCollection, string],
      ),
    ];
    for (const [collection, id] of rows) {
      if (!sendsToJira(id)) continue;
      const operation = planOperation(collection, id);
      const key = entityKey(operation);
      const state = states.get(key);
      if (state === undefined) {
        await db.outbox.add(newOutboxItem(newId(), operation, now));
        report.queued++;
      } else if (state.state === 'failed') {
        const failed = (byKey.get(key) ?? []).filter((e) => e.status === 'failed');
        const newest = failed.sort((a, b) => failedAt(b) - failedAt(a))[0];
        if (newest) {
          await db.outbox.put(retryFailed(newest, now));
          report.retried++;
        }
      }
    }
  });
  return report;
}

function failedAt(item: OutboxItem): number {
  return item.status === 'failed' ? item.failedAt : 0;
}

/** Where one goal or action stands with Jira. */
export type PlanSyncState =
  | { state: 'queued'; attempts: number; nextAttemptAt: number; lastError?: string; jiraKey?: string }
  | { state: 'sending'; jiraKey?: string }
  | { state: 'synced'; at: number; jiraKey?: string }
  | { state: 'failed'; error: string; at: number; jiraKey?: string };

/**
 * The state of every goal and action with outbox entries, by entity key (`deptGoal:<id>`). An entry being sent
 * or waiting wins (it carries the newest content); otherwise the later of the last success and the last failure.
 * The Jira key is the newest one any successful send reported.
 */
export function planSyncStates(items: readonly OutboxItem[]): Map<string, PlanSyncState> {
  const groups = new Map<string, OutboxItem[]>();
  for (const item of items) {
    if (entityOf(item.operation).kind === 'evidence') continue;
    const key = entityKey(item.operation);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const out = new Map<string, PlanSyncState>();
  for (const [key, group] of groups) {
    const sent = group.flatMap((e) => (e.status === 'sent' ? [e] : [])).sort((a, b) => b.sentAt - a.sentAt);
    const jiraKey = sent.find((e) => e.jiraKey !== undefined)?.jiraKey;
    const withKey = <T extends object>(s: T): T & { jiraKey?: string } =>
      jiraKey === undefined ? s : { ...s, jiraKey };
    const sending = group.find((e) => e.status === 'sending');
    const pending = group.find((e) => e.status === 'pending');
    const failed = group
      .flatMap((e) => (e.status === 'failed' ? [e] : []))
      .sort((a, b) => b.failedAt - a.failedAt)[0];
    const lastSent = sent[0];
    if (sending) out.set(key, withKey({ state: 'sending' as const }));
    else if (pending?.status === 'pending')
      out.set(
        key,
        withKey({
          state: 'queued' as const,
          attempts: pending.attempts,
          nextAttemptAt: pending.nextAttemptAt,
          ...(pending.lastError !== undefined && { lastError: pending.lastError }),
        }),
      );
    else if (failed && (!lastSent || failed.failedAt > lastSent.sentAt))
      out.set(key, withKey({ state: 'failed' as const, error: failed.lastError, at: failed.failedAt }));
    else if (lastSent) out.set(key, withKey({ state: 'synced' as const, at: lastSent.sentAt }));
  }
  return out;
}

/** One goal's or action's Jira state as the `getPlanSyncState` message reports it (`local`: never queued). */
export type PlanEntityState = PlanSyncState | { state: 'local' };

/** The plan's sync state: counts per state, the newest error, and each goal's and action's state. */
export interface PlanSyncSummary {
  counts: { local: number; pending: number; sending: number; sent: number; failed: number };
  /** The newest error of an entity still waiting or failed (what to fix), if any. */
  lastError?: string;
  deptGoals: Record<string, PlanEntityState>;
  actions: Record<string, PlanEntityState>;
}

/** Summarises the plan's sync state for the given goal and action ids (sample rows are left out). */
export function summarisePlanSync(
  items: readonly OutboxItem[],
  ids: { deptGoals: readonly string[]; actions: readonly string[] },
): PlanSyncSummary {
  const states = planSyncStates(items);
  const summary: PlanSyncSummary = {
    counts: { local: 0, pending: 0, sending: 0, sent: 0, failed: 0 },
    deptGoals: {},
    actions: {},
  };
  let newestError: { at: number; error: string } | undefined;
  const visit = (kind: 'deptGoal' | 'action', id: string): PlanEntityState => {
    const s = states.get(`${kind}:${id}`) ?? { state: 'local' as const };
    const countKey = (
      { local: 'local', queued: 'pending', sending: 'sending', synced: 'sent', failed: 'failed' } as const
    )[s.state];
    summary.counts[countKey]++;
    const error = s.state === 'failed' ? { at: s.at, error: s.error } : undefined;
    const retryError =
      s.state === 'queued' && s.lastError !== undefined
        ? { at: s.nextAttemptAt, error: s.lastError }
        : undefined;
    for (const e of [error, retryError]) if (e && (!newestError || e.at > newestError.at)) newestError = e;
    return s;
  };
  for (const id of ids.deptGoals) if (sendsToJira(id)) summary.deptGoals[id] = visit('deptGoal', id);
  for (const id of ids.actions) if (sendsToJira(id)) summary.actions[id] = visit('action', id);
  if (newestError) summary.lastError = newestError.error;
  return summary;
}
