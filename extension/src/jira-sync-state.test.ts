import { describe, expect, it } from 'vitest';
import { clipSyncStates, syncStateLabel, syncStateOf } from './jira-sync-state';
import type { OutboxItem } from './outbox/outbox-item';

const base = (id: string, evidenceId: string) => ({
  id,
  operation: { kind: 'evidence.create' as const, evidenceId },
  createdAt: '2026-11-23T10:00:00Z',
  attempts: 1,
});

describe('clipSyncStates', () => {
  it('derives one state per clip, the most relevant entry winning', () => {
    const items: OutboxItem[] = [
      { ...base('1', 'a'), status: 'sent', sentAt: 5 },
      { ...base('2', 'b'), status: 'sent', sentAt: 5 },
      { ...base('3', 'b'), status: 'pending', nextAttemptAt: 9, lastError: 'HTTP 503' },
      { ...base('4', 'c'), status: 'failed', failedAt: 3, lastError: 'payload.evidence.text is too long' },
      { ...base('5', 'd'), status: 'sending', sendingSince: 1 },
      { ...base('6', 'd'), status: 'failed', failedAt: 1, lastError: 'x' },
    ];
    const states = clipSyncStates(items);
    expect(syncStateOf(states, 'a')).toEqual({ state: 'synced', at: 5 });
    expect(syncStateOf(states, 'b')).toEqual({
      state: 'queued',
      attempts: 1,
      nextAttemptAt: 9,
      lastError: 'HTTP 503',
    });
    expect(syncStateOf(states, 'c')).toEqual({ state: 'failed', error: 'payload.evidence.text is too long' });
    expect(syncStateOf(states, 'd')).toEqual({ state: 'sending' });
    expect(syncStateOf(states, 'zzz')).toEqual({ state: 'local' });
  });

  it('labels say what the user can expect', () => {
    expect(syncStateLabel({ state: 'queued', attempts: 0, nextAttemptAt: 0 }, false)).toBe(
      'Waiting: not paired with Jira',
    );
    expect(
      syncStateLabel({ state: 'queued', attempts: 2, nextAttemptAt: 0, lastError: 'HTTP 503' }, true),
    ).toBe('Retrying (attempt 3): HTTP 503');
    expect(syncStateLabel({ state: 'synced', at: 1 }, true)).toBe('In Jira');
  });
});
