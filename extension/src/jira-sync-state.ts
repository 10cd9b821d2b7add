import type { OutboxItem } from './outbox/outbox-item';

/** Where one clip stands with Jira, derived from its outbox entries. */
export type ClipSyncState =
  | { state: 'local' }
  | { state: 'queued'; attempts: number; nextAttemptAt: number; lastError?: string }
  | { state: 'sending' }
  | { state: 'synced'; at: number }
  | { state: 'failed'; error: string };

const RANK: Record<OutboxItem['status'], number> = { sending: 3, pending: 2, failed: 1, sent: 0 };

/**
 * The sync state of every clip that has outbox entries. The entry that matters most wins: one being sent, then
 * one waiting (it carries the clip's latest content), then a failure, then "synced". Clips without entries
 * are `local` (see {@link syncStateOf}).
 */
export function clipSyncStates(items: readonly OutboxItem[]): Map<string, ClipSyncState> {
  const winner = new Map<string, OutboxItem>();
  for (const item of items) {
    if (!('evidenceId' in item.operation)) continue; // goals and actions: see plan-outbox.ts
    const id = item.operation.evidenceId;
    const current = winner.get(id);
    if (
      !current ||
      RANK[item.status] > RANK[current.status] ||
      (item.status === 'sent' && current.status === 'sent' && item.sentAt > current.sentAt)
    ) {
      winner.set(id, item);
    }
  }
  const out = new Map<string, ClipSyncState>();
  for (const [id, item] of winner) {
    switch (item.status) {
      case 'sending':
        out.set(id, { state: 'sending' });
        break;
      case 'pending':
        out.set(id, {
          state: 'queued',
          attempts: item.attempts,
          nextAttemptAt: item.nextAttemptAt,
          ...(item.lastError !== undefined && { lastError: item.lastError }),
        });
        break;
      case 'failed':
        out.set(id, { state: 'failed', error: item.lastError });
        break;
      case 'sent':
        out.set(id, { state: 'synced', at: item.sentAt });
        break;
    }
  }
  return out;
}

/** One clip's state (`local` when it has no outbox entry). */
export function syncStateOf(states: ReadonlyMap<string, ClipSyncState>, evidenceId: string): ClipSyncState {
  return states.get(evidenceId) ?? { state: 'local' };
}

/** A short label for a state, for lists and tooltips. */
export function syncStateLabel(s: ClipSyncState, paired: boolean): string {
  switch (s.state) {
    case 'local':
      return 'Local only';
    case 'queued':
      if (!paired) return 'Waiting: not paired with Jira';
      return s.attempts > 0
        ? `Retrying (attempt ${s.attempts + 1}): ${s.lastError ?? 'not sent yet'}`
        : 'Waiting to send';
    case 'sending':
      return 'Sending…';
    case 'synced':
      return 'In Jira';
    case 'failed':
      return `Not sent: ${s.error}`;
  }
}
