import { type DeptGoal, DeptGoalSchema, parseOrThrow } from '@cxplan/core';
import { Dexie } from 'dexie';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PAIRING_KEY } from './jira-pairing';
import { planSyncState, sendPlanNow } from './plan-outbox-messages';
import { OUTBOX_WATCH_ALARM, watchOutboxWrites } from './plan-outbox-watch';
import { CxplanDb, DB_NAME } from './storage/db';
import { StorageService } from './storage/storage-service';

const T0 = Date.UTC(2026, 10, 23, 10);
let now = T0;
let n = 0;
let storage: StorageService;

const goal = (id: string): DeptGoal =>
  parseOrThrow(DeptGoalSchema, {
    id,
    cycleId: 'cycle-1',
    departmentId: 'dept-support',
    title: `Goal ${id}`,
    metric: { name: 'FCR', unit: '%', direction: 'increase', baseline: 61, target: 75, due: '2026-12-31' },
  });

beforeEach(() => {
  fakeBrowser.reset();
  now = T0;
  storage = new StorageService(
    new CxplanDb(`plan-msg-${Math.random()}`),
    () => now,
    () => `o-${++n}`,
  );
});

describe('plan messages', () => {
  it('sendPlanToJira queues, cuts a backoff wait short, wakes the sender and reports the state', async () => {
    await storage.put('deptGoals', goal('g1'));
    const [entry] = await storage.outboxByStatus('pending');
    if (entry?.status !== 'pending') throw new Error('expected a pending entry');
    await storage.putOutboxItem({
      ...entry,
      attempts: 2,
      nextAttemptAt: now + 3_600_000,
      lastError: 'HTTP 503',
    });
    await storage.db.deptGoals.put(goal('g2')); // written behind the storage service's back
    const outboxChanged = vi.fn(async () => {});
    const deps = { storage, local: browser.storage.local, outboxChanged, clock: () => now };

    const answer = await sendPlanNow(deps);
    expect(answer).toMatchObject({ ok: true, paired: false, queued: 1, retried: 0 });
    expect(answer.counts).toEqual({ local: 0, pending: 2, sending: 0, sent: 0, failed: 0 });
    expect(answer.lastError).toBe('HTTP 503');
    expect(outboxChanged).toHaveBeenCalledOnce();
    expect((await storage.dueOutboxItems(now)).length).toBe(2);

    await browser.storage.local.set({
      [PAIRING_KEY]: {
        triggerUrl: 'https://x.example/t',
        originPattern: 'https://x.example/*',
        secret: 's',
        keyId: 'k',
        pairedAt: '2026-11-23T09:00:00.000Z',
      },
    });
    expect(await planSyncState(deps)).toMatchObject({ paired: true, deptGoals: { g1: { state: 'queued' } } });
  });
});

describe('watchOutboxWrites', () => {
  it('arms a periodic watch alarm and reacts (debounced) to outbox writes from any context', async () => {
    vi.useFakeTimers();
    try {
      const onChange = vi.fn(async () => {});
      const stop = watchOutboxWrites(browser.alarms, onChange, 500);
      expect((await browser.alarms.get(OUTBOX_WATCH_ALARM))?.periodInMinutes).toBe(1);
      // What Dexie broadcasts when another page writes: parts keyed idb://<db>/<table>/<index>.
      for (let i = 0; i < 5; i++) Dexie.on.storagemutated.fire({ [`idb://${DB_NAME}/outbox/`]: {} as never });
      Dexie.on.storagemutated.fire({ [`idb://${DB_NAME}/evidence/`]: {} as never });
      await vi.advanceTimersByTimeAsync(600);
      expect(onChange).toHaveBeenCalledOnce();
      await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_WATCH_ALARM, scheduledTime: now });
      expect(onChange).toHaveBeenCalledTimes(2);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
