import type { OutboxItem, OutboxOperation } from './outbox-item';

/** Retry policy: exponential backoff from `baseDelayMs`, capped, giving up after `maxAttempts`. */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** A `sending` entry older than this was interrupted (service worker stopped mid-send) and is retried. */
  sendingTimeoutMs: number;
}

/** Defaults: 30 s, doubling, at most 6 h apart, 10 attempts; a send that has not finished in 2 min is stale. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60_000,
  maxAttempts: 10,
  sendingTimeoutMs: 2 * 60_000,
};

/** A new pending entry, due now. */
export function newOutboxItem(id: string, operation: OutboxOperation, now: number): OutboxItem {
  return {
    id,
    operation,
    createdAt: new Date(now).toISOString(),
    attempts: 0,
    status: 'pending',
    nextAttemptAt: now,
  };
}

/** Delay before the next try after `attempts` failed tries (1 → base, 2 → 2×base, …, capped). */
export function retryDelay(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(policy.baseDelayMs * 2 ** exp, policy.maxDelayMs);
}

/** pending → sending (counts the attempt). Any other state is returned unchanged with `null`: not claimable. */
export function startSending(item: OutboxItem, now: number): OutboxItem | null {
  if (item.status !== 'pending' || item.nextAttemptAt > now) return null;
  const { id, operation, createdAt } = item;
  return { id, operation, createdAt, attempts: item.attempts + 1, status: 'sending', sendingSince: now };
}

/** sending → sent, with the Jira issue key when the server reported one. */
export function markSent(item: OutboxItem, now: number, jiraKey?: string): OutboxItem {
  if (item.status !== 'sending') throw new Error(`outbox item ${item.id} is ${item.status}, not sending`);
  const { id, operation, createdAt, attempts } = item;
  return {
    id,
    operation,
    createdAt,
    attempts,
    status: 'sent',
    sentAt: now,
    ...(jiraKey !== undefined && { jiraKey }),
  };
}

/**
 * sending → pending (retry later) or failed (permanent error, or attempts exhausted).
 * `permanent` is for errors retrying cannot fix, e.g. a rejected payload.
 */
export function markFailure(
  item: OutboxItem,
  error: string,
  now: number,
  permanent = false,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): OutboxItem {
  if (item.status !== 'sending') throw new Error(`outbox item ${item.id} is ${item.status}, not sending`);
  const { id, operation, createdAt, attempts } = item;
  if (permanent || attempts >= policy.maxAttempts) {
    return { id, operation, createdAt, attempts, status: 'failed', failedAt: now, lastError: error };
  }
  return {
    id,
    operation,
    createdAt,
    attempts,
    status: 'pending',
    nextAttemptAt: now + retryDelay(attempts, policy),
    lastError: error,
  };
}

/** A `sending` entry whose worker died mid-send goes back to pending, due now; others are unchanged. */
export function recoverStale(
  item: OutboxItem,
  now: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): OutboxItem {
  if (item.status !== 'sending' || now - item.sendingSince < policy.sendingTimeoutMs) return item;
  const { id, operation, createdAt, attempts } = item;
  return {
    id,
    operation,
    createdAt,
    attempts,
    status: 'pending',
    nextAttemptAt: now,
    lastError: 'interrupted while sending',
  };
}

/** A failed entry retried by the user: pending again, due now, with a fresh set of attempts. */
export function retryFailed(item: OutboxItem, now: number): OutboxItem {
  if (item.status !== 'failed') return item;
  const { id, operation, createdAt, lastError } = item;
  return { id, operation, createdAt, attempts: 0, status: 'pending', nextAttemptAt: now, lastError };
}
