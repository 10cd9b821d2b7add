import { describe, expect, it } from 'vitest';
import { MemoryKvs } from '../testing/memory-kvs';
import { requestPlanSync, SYNC_REQUEST_DELAY_SECONDS, syncStarted } from './sync-request';

describe('asking for a Jira sync after the plan changed', () => {
  it('queues one sync for a burst of changes, and another for a change made once that one has started', async () => {
    const kv = new MemoryKvs();
    const queued: Array<{ reason: string; delay: number }> = [];
    const enqueue = async (body: { reason: string }, delay: number) => {
      queued.push({ reason: body.reason, delay });
    };
    let now = Date.parse('2026-12-04T10:00:00Z');
    const clock = () => now;
    expect(await requestPlanSync(kv, enqueue, clock)).toBe('queued');
    now += 5_000;
    expect(await requestPlanSync(kv, enqueue, clock)).toBe('already-queued');
    now += SYNC_REQUEST_DELAY_SECONDS * 1000;
    expect(await requestPlanSync(kv, enqueue, clock)).toBe('queued');
    expect(queued).toEqual([
      { reason: 'plan changed', delay: SYNC_REQUEST_DELAY_SECONDS },
      { reason: 'plan changed', delay: SYNC_REQUEST_DELAY_SECONDS },
    ]);
  });

  it('once the queued sync has started, the next change asks for another (it is not in the running one)', async () => {
    const kv = new MemoryKvs();
    let count = 0;
    const enqueue = async () => {
      count++;
    };
    expect(await requestPlanSync(kv, enqueue, Date.now)).toBe('queued');
    await syncStarted(kv);
    expect(await requestPlanSync(kv, enqueue, Date.now)).toBe('queued');
    expect(count).toBe(2);
  });

  it('asks again next time when the queue refused (nothing marked as waiting)', async () => {
    const kv = new MemoryKvs();
    let fail = true;
    const enqueue = async () => {
      if (fail) throw new Error('queue unavailable');
    };
    await expect(requestPlanSync(kv, enqueue, Date.now)).rejects.toThrow('queue unavailable');
    fail = false;
    expect(await requestPlanSync(kv, enqueue, Date.now)).toBe('queued');
  });
});
