import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CxplanDb } from '../storage/db';
import { StorageService } from '../storage/storage-service';
import { must, sampleClip } from '../storage/test-fixtures';
import { entityOf } from './outbox-item';
import {
  drainOutbox,
  OUTBOX_ALARM,
  type OutboxSender,
  type SendOutcome,
  scheduleOutbox,
} from './outbox-scheduler';
import { DEFAULT_RETRY_POLICY, markFailure, retryDelay, startSending } from './outbox-transitions';

const T0 = Date.UTC(2026, 10, 23, 10);
let now = T0;
let storage: StorageService;
let n = 0;

/** A sender that answers from a script and records what it was asked to send. */
function scriptedSender(outcomes: SendOutcome[]): OutboxSender & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(item) {
      sent.push(entityOf(item.operation).id);
      return outcomes.shift() ?? { ok: true };
    },
  };
}

beforeEach(() => {
  fakeBrowser.reset();
  now = T0;
  storage = new StorageService(
    new CxplanDb(`outbox-${Math.random()}`),
    () => now,
    () => `o-${++n}`,
  );
});

describe('outbox transitions', () => {
  it('backs off exponentially and caps the delay', () => {
    expect(retryDelay(1)).toBe(30_000);
    expect(retryDelay(2)).toBe(60_000);
    expect(retryDelay(4)).toBe(240_000);
    expect(retryDelay(40)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('gives up after the last attempt and on a permanent error', async () => {
    await storage.addCapture(sampleClip(1));
    const item = must((await storage.dueOutboxItems(now))[0]);
    let sending = must(startSending(item, now));
    expect(markFailure(sending, 'HTTP 400', now, true)).toMatchObject({
      status: 'failed',
      lastError: 'HTTP 400',
    });
    sending = { ...sending, attempts: DEFAULT_RETRY_POLICY.maxAttempts };
    expect(markFailure(sending, 'HTTP 503', now).status).toBe('failed');
    if (item.status !== 'pending') throw new Error('expected a pending item');
    expect(startSending({ ...item, nextAttemptAt: now + 1 }, now)).toBeNull();
  });
});

describe('outbox scheduling with alarms', () => {
  it('sets the alarm for the earliest pending entry and clears it when nothing is pending', async () => {
    expect(await scheduleOutbox(storage, browser.alarms, now)).toBeUndefined();
    await storage.addCapture(sampleClip(1));
    const when = await scheduleOutbox(storage, browser.alarms, now);
    expect(when).toBe(now + 1);
    expect((await browser.alarms.get(OUTBOX_ALARM))?.scheduledTime).toBe(now + 1);
    await drainOutbox(storage, scriptedSender([]), () => now);
    expect(await scheduleOutbox(storage, browser.alarms, now)).toBeUndefined();
    expect(await browser.alarms.get(OUTBOX_ALARM)).toBeUndefined();
  });

  it('keeps entries pending while no sender is registered', async () => {
    await storage.addCapture(sampleClip(1));
    expect(await drainOutbox(storage, undefined, () => now)).toEqual({
      recovered: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(await storage.outboxByStatus('pending')).toHaveLength(1);
  });

  it('retries a transient failure later, scheduled by alarm, then sends it', async () => {
    await storage.addCapture(sampleClip(1));
    const sender = scriptedSender([{ ok: false, error: 'HTTP 503' }]);
    expect(await drainOutbox(storage, sender, () => now)).toMatchObject({ retrying: 1 });
    const [waiting] = await storage.outboxByStatus('pending');
    expect(waiting).toMatchObject({ attempts: 1, nextAttemptAt: now + 30_000, lastError: 'HTTP 503' });
    expect(await scheduleOutbox(storage, browser.alarms, now)).toBe(now + 30_000);
    // Not due yet: nothing is sent.
    expect(await drainOutbox(storage, sender, () => now + 10_000)).toMatchObject({ sent: 0 });
    now += 30_000;
    expect(await drainOutbox(storage, sender, () => now)).toMatchObject({ sent: 1 });
    expect((await storage.outboxByStatus('sent'))[0]).toMatchObject({ attempts: 2 });
    expect(sender.sent).toEqual(['clip-1', 'clip-1']);
  });

  it('puts back an entry left in sending by a worker that died mid-send', async () => {
    await storage.addCapture(sampleClip(1));
    const item = must((await storage.dueOutboxItems(now))[0]);
    await storage.putOutboxItem(must(startSending(item, now)));
    // Just started: not stale yet.
    expect(await drainOutbox(storage, undefined, () => now + 1000)).toMatchObject({ recovered: 0 });
    now += DEFAULT_RETRY_POLICY.sendingTimeoutMs;
    expect(await drainOutbox(storage, undefined, () => now)).toMatchObject({ recovered: 1 });
    expect((await storage.outboxByStatus('pending'))[0]).toMatchObject({
      lastError: 'interrupted while sending',
    });
  });

  it('records a thrown sender error as a failure instead of losing the entry', async () => {
    await storage.addCapture(sampleClip(1));
    const sender: OutboxSender = {
      send: () => Promise.reject(new Error('network down')),
    };
    await drainOutbox(storage, sender, () => now);
    expect((await storage.outboxByStatus('pending'))[0]).toMatchObject({
      lastError: 'network down',
      attempts: 1,
    });
  });
});
