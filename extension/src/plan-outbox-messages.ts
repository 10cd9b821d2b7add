import { type PairingArea, readPairing } from './jira-pairing';
import { entityOf, type OutboxItem } from './outbox/outbox-item';
import { type PlanQueueReport, type PlanSyncSummary, summarisePlanSync } from './plan-outbox';
import type { StorageService } from './storage/storage-service';

/** What the plan messages need from the background. */
export interface PlanMessageDeps {
  storage: StorageService;
  local: PairingArea;
  /** Re-arms the outbox alarm (the alarm handler does the sending). */
  outboxChanged: () => Promise<void>;
  clock?: () => number;
}

/** Answer of `getPlanSyncState`: whether Jira is paired, and the plan's sync summary. */
export type PlanSyncStateAnswer = { ok: true; paired: boolean } & PlanSyncSummary;

/** Answer of `sendPlanToJira`: what was queued, then the state. */
export type SendPlanAnswer = PlanSyncStateAnswer & PlanQueueReport;

/** Every outbox entry about a goal or action. */
async function planEntries(storage: StorageService): Promise<OutboxItem[]> {
  const all: OutboxItem[] = [];
  for (const status of ['pending', 'sending', 'sent', 'failed'] as const)
    all.push(...(await storage.outboxByStatus(status)));
  return all.filter((e) => entityOf(e.operation).kind !== 'evidence');
}

/** The plan's Jira state: counts, the newest error, and each goal's and action's state and issue key. */
export async function planSyncState(deps: PlanMessageDeps): Promise<PlanSyncStateAnswer> {
  const [entries, goals, actions, pairing] = await Promise.all([
    planEntries(deps.storage),
    deps.storage.db.deptGoals.toCollection().primaryKeys(),
    deps.storage.db.actions.toCollection().primaryKeys(),
    readPairing(deps.local),
  ]);
  return {
    ok: true,
    paired: pairing !== undefined && pairing.broken === undefined,
    ...summarisePlanSync(entries, { deptGoals: goals, actions }),
  };
}

/**
 * "Send plan to Jira now": queues what was never sent, retries what failed, makes every waiting goal and action
 * due now (the user asked, so a backoff wait is cut short) and wakes the sender.
 */
export async function sendPlanNow(deps: PlanMessageDeps): Promise<SendPlanAnswer> {
  const now = (deps.clock ?? Date.now)();
  const queued = await deps.storage.queueUnsentPlan();
  for (const entry of await planEntries(deps.storage)) {
    if (entry.status === 'pending' && entry.nextAttemptAt > now)
      await deps.storage.putOutboxItem({ ...entry, nextAttemptAt: now });
  }
  await deps.outboxChanged();
  return { ...(await planSyncState(deps)), ...queued };
}
