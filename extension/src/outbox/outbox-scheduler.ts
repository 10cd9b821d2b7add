import type { Browser } from 'wxt/browser';
import type { StorageService } from '../storage/storage-service';
import type { OutboxItem } from './outbox-item';
import {
  DEFAULT_RETRY_POLICY,
  markFailure,
  markSent,
  type RetryPolicy,
  recoverStale,
  startSending,
} from './outbox-transitions';

/** The alarm that wakes the service worker when the next outbox entry is due. */
export const OUTBOX_ALARM = 'cxplan-outbox';

/** What a sender reports for one entry: sent, or failed (transiently, or permanently when retrying cannot help). */
export type SendOutcome = { ok: true } | { ok: false; error: string; permanent?: boolean };

/** Sends one outbox entry to Jira. The real sender comes with the Jira integration; none is registered before. */
export interface OutboxSender {
  send(item: OutboxItem): Promise<SendOutcome>;
}

/** The part of `browser.alarms` the scheduler needs. */
export type AlarmsApi = Pick<typeof Browser.alarms, 'create' | 'clear'>;

/**
 * Sets (or clears) the outbox alarm for the earliest pending entry. Alarms survive service-worker termination,
 * so a retry scheduled for tomorrow still happens when the worker was stopped in between.
 */
export async function scheduleOutbox(
  storage: StorageService,
  alarms: AlarmsApi,
  now: number,
): Promise<number | undefined> {
  const due = await storage.nextOutboxDue();
  if (due === undefined) {
    await alarms.clear(OUTBOX_ALARM);
    return undefined;
  }
  const when = Math.max(due, now + 1);
  await alarms.create(OUTBOX_ALARM, { when });
  return when;
}

/** What one drain did. */
export interface DrainReport {
  recovered: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Sends every due entry once: first puts back entries left in `sending` by a worker that died, then claims each
 * due entry (pending → sending, saved before the network call), sends it and records the outcome. Without a
 * sender (Jira not connected) entries simply stay pending.
 */
export async function drainOutbox(
  storage: StorageService,
  sender: OutboxSender | undefined,
  clock: () => number = Date.now,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<DrainReport> {
  const report: DrainReport = { recovered: 0, sent: 0, retrying: 0, failed: 0 };
  for (const item of await storage.outboxByStatus('sending')) {
    const recovered = recoverStale(item, clock(), policy);
    if (recovered !== item) {
      await storage.putOutboxItem(recovered);
      report.recovered++;
    }
  }
  if (sender === undefined) return report;
  for (const item of await storage.dueOutboxItems(clock())) {
    const claimed = startSending(item, clock());
    if (claimed === null) continue;
    await storage.putOutboxItem(claimed);
    let outcome: SendOutcome;
    try {
      outcome = await sender.send(claimed);
    } catch (e) {
      outcome = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    const next = outcome.ok
      ? markSent(claimed, clock())
      : markFailure(claimed, outcome.error, clock(), outcome.permanent ?? false, policy);
    await storage.putOutboxItem(next);
    if (next.status === 'sent') report.sent++;
    else if (next.status === 'failed') report.failed++;
    else report.retrying++;
  }
  return report;
}
