import {
  type Action,
  ActionSchema,
  type DeptGoal,
  DeptGoalSchema,
  emptyWorkspace,
  IngestBatchSchema,
  parseOrThrow,
  parseWith,
} from '@cxplan/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PAIRING_KEY, type PairingArea, type StoredPairing } from './jira-pairing';
import { entityOf, type OutboxItem } from './outbox/outbox-item';
import { startSending } from './outbox/outbox-transitions';
import { drainOutboxToJira } from './outbox-sender';
import { summarisePlanSync } from './plan-outbox';
import { CxplanDb } from './storage/db';
import { StorageService } from './storage/storage-service';
import { must } from './storage/test-fixtures';

const T0 = Date.UTC(2026, 10, 23, 10);
let now = T0;
let n = 0;
let storage: StorageService;

const metric = {
  name: 'First-contact resolution',
  unit: '%',
  direction: 'increase',
  baseline: 61,
  target: 75,
  due: '2026-12-31',
};

function goal(id: string, patch: Partial<DeptGoal> = {}): DeptGoal {
  return parseOrThrow(DeptGoalSchema, {
    id,
    cycleId: 'cycle-1',
    departmentId: 'dept-support',
    orgGoalId: 'org-1',
    title: `Goal ${id}`,
    metric,
    ...patch,
  });
}

function action(id: string, deptGoalId: string, patch: Partial<Action> = {}): Action {
  return parseOrThrow(ActionSchema, {
    id,
    cycleId: 'cycle-1',
    deptGoalId,
    title: `Action ${id}`,
    doneCriterion: 'Runbook published',
    due: '2026-10-31',
    component: 'process',
    ...patch,
  });
}

const all = async (): Promise<OutboxItem[]> => storage.db.outbox.toArray();
const planEntries = async (): Promise<OutboxItem[]> =>
  (await all()).filter((e) => entityOf(e.operation).kind !== 'evidence');

class MemoryArea implements PairingArea {
  data: Record<string, unknown> = {};
  async get(key: string): Promise<Record<string, unknown>> {
    return key in this.data ? { [key]: this.data[key] } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    Object.assign(this.data, items);
  }
  async remove(key: string): Promise<void> {
    delete this.data[key];
  }
}

beforeEach(() => {
  fakeBrowser.reset();
  now = T0;
  storage = new StorageService(
    new CxplanDb(`plan-outbox-${Math.random()}`),
    () => now,
    () => `o-${++n}`,
  );
});

describe('queueing goals and actions in the storage service', () => {
  it('queues one upsert per entity however often it is saved while waiting (the newest row is sent)', async () => {
    for (let i = 0; i < 50; i++) {
      now += 100;
      await storage.put('deptGoals', goal('g1', { title: `Draft ${i}` }));
    }
    await storage.put('actions', action('a1', 'g1'));
    const entries = await planEntries();
    expect(entries.map((e) => [e.operation, e.status])).toEqual([
      [{ kind: 'deptGoal.upsert', deptGoalId: 'g1' }, 'pending'],
      [{ kind: 'action.upsert', actionId: 'a1' }, 'pending'],
    ]);
    expect((await storage.get('deptGoals', 'g1'))?.title).toBe('Draft 49');
  });

  it('queues nothing for an unchanged re-save, and a new entry behind one already being sent', async () => {
    await storage.put('deptGoals', goal('g1'));
    const [first] = await planEntries();
    await storage.putOutboxItem(must(startSending(must(first), now)));
    await storage.put('deptGoals', goal('g1')); // unchanged: nothing new
    expect(await planEntries()).toHaveLength(1);
    await storage.put('deptGoals', goal('g1', { title: 'Renamed' })); // the one in flight has the old title
    expect((await planEntries()).map((e) => e.status).sort()).toEqual(['pending', 'sending']);
  });

  it('never queues the removable sample workspace', async () => {
    await storage.put('deptGoals', goal('sample-dg-1'));
    await storage.put('actions', action('sample-a-1', 'sample-dg-1'));
    expect(await planEntries()).toEqual([]);
  });

  it('drops the waiting upsert of a deleted goal (the protocol has no delete)', async () => {
    await storage.put('deptGoals', goal('g1'));
    await storage.put('deptGoals', goal('g2'));
    await storage.remove('deptGoals', 'g1');
    expect((await planEntries()).map((e) => entityOf(e.operation).id)).toEqual(['g2']);
  });

  it('a restore queues the goals and actions it adds or changes, and drops those it removes', async () => {
    await storage.put('deptGoals', goal('g1'));
    await storage.put('deptGoals', goal('g2'));
    await storage.db.outbox.clear(); // as if both had been sent
    const ws = {
      ...emptyWorkspace(),
      deptGoals: [goal('g1'), goal('g2', { title: 'Changed' }), goal('g3')],
      actions: [action('a1', 'g3')],
    };
    await storage.replaceWorkspace(ws);
    expect((await planEntries()).map((e) => entityOf(e.operation).id).sort()).toEqual(['a1', 'g2', 'g3']);
    await storage.replaceWorkspace({ ...ws, deptGoals: [goal('g1')], actions: [] });
    expect(await planEntries()).toEqual([]);
  });

  it('"send the plan now" queues rows never queued and retries failed ones, not those already sent', async () => {
    await storage.db.deptGoals.bulkPut([goal('old-1'), goal('old-2')]); // written before this feature
    await storage.put('deptGoals', goal('g1'));
    const [g1] = await planEntries();
    await storage.putOutboxItem({ ...must(g1), status: 'failed', failedAt: now, lastError: 'boom' });
    expect(await storage.queueUnsentPlan()).toEqual({ queued: 2, retried: 1 });
    expect((await planEntries()).every((e) => e.status === 'pending')).toBe(true);
    expect(await storage.queueUnsentPlan()).toEqual({ queued: 0, retried: 0 });
  });
});

describe('sending the plan with the batch sender', () => {
  const pairing: StoredPairing = {
    triggerUrl: 'https://site.example/x1/trigger',
    originPattern: 'https://site.example/*',
    secret: `cxp1.k_12345678.${'A'.repeat(43)}`,
    keyId: 'k_12345678',
    pairedAt: '2026-11-23T09:00:00.000Z',
    clockOffsetMs: 0,
  };

  it('sends goals before actions with the newest content, records issue keys, shows rejections', async () => {
    const local = new MemoryArea();
    await local.set({ [PAIRING_KEY]: pairing });
    await storage.put('actions', action('a1', 'g1'));
    await storage.put('actions', action('a2', 'g1'));
    await storage.put('deptGoals', goal('g1'));
    await storage.put('deptGoals', goal('g1', { title: 'Newest title' }));
    const bodies: Array<{ kind: string; clientId: string; payload: unknown }[]> = [];
    const fetchFn = (async (_url: string, init: RequestInit) => {
      const batch = parseWith(IngestBatchSchema, JSON.parse(String(init.body)));
      if (!batch.ok) throw new Error(JSON.stringify(batch.errors));
      bodies.push(batch.value.items);
      return Response.json({
        ok: true,
        version: 1,
        serverTime: new Date(now).toISOString(),
        results: batch.value.items.map((i) =>
          i.clientId === 'a2'
            ? {
                clientId: i.clientId,
                kind: i.kind,
                status: 'rejected',
                retryable: false,
                reason: 'payload.action.title: title must not be empty',
              }
            : { clientId: i.clientId, kind: i.kind, status: 'created', jiraKey: `CX-${i.clientId}` },
        ),
      });
    }) as typeof fetch;

    const report = await drainOutboxToJira({
      storage,
      local,
      clock: () => now,
      fetch: fetchFn,
      random: () => 0.5,
    });
    expect(report).toMatchObject({ requests: 1, sent: 2, failed: 1 });
    expect(bodies[0]?.map((i) => `${i.kind}:${i.clientId}`)).toEqual([
      'deptGoal:g1',
      'action:a1',
      'action:a2',
    ]);
    expect(bodies[0]?.[0]?.payload).toMatchObject({ goal: { id: 'g1', title: 'Newest title' } });

    const summary = summarisePlanSync(await all(), { deptGoals: ['g1', 'g9'], actions: ['a1', 'a2'] });
    expect(summary.counts).toEqual({ local: 1, pending: 0, sending: 0, sent: 2, failed: 1 });
    expect(summary.deptGoals.g1).toMatchObject({ state: 'synced', jiraKey: 'CX-g1' });
    expect(summary.actions.a2).toMatchObject({
      state: 'failed',
      error: 'payload.action.title: title must not be empty',
    });
    expect(summary.lastError).toBe('payload.action.title: title must not be empty');

    // Saving the goal unchanged sends nothing; a change is sent as one update and keeps the issue key.
    await storage.put('deptGoals', goal('g1', { title: 'Newest title' }));
    expect(await drainOutboxToJira({ storage, local, clock: () => now, fetch: fetchFn })).toMatchObject({
      skipped: 'nothing-due',
      requests: 0,
    });
  });

  it('keeps goals queued through an outage (503 with Retry-After) and sends them afterwards', async () => {
    const local = new MemoryArea();
    await local.set({ [PAIRING_KEY]: pairing });
    await storage.put('deptGoals', goal('g1'));
    let down = true;
    const fetchFn = (async (_url: string, init: RequestInit) => {
      if (down) return new Response('down', { status: 503, headers: { 'Retry-After': '60' } });
      const items = (JSON.parse(String(init.body)) as { items: { clientId: string; kind: string }[] }).items;
      return Response.json({
        ok: true,
        version: 1,
        serverTime: new Date(now).toISOString(),
        results: items.map((i) => ({ ...i, status: 'created' })),
      });
    }) as typeof fetch;
    const deps = { storage, local, clock: () => now, fetch: fetchFn, random: () => 0.5 };
    expect(await drainOutboxToJira(deps)).toMatchObject({ retrying: 1 });
    const waiting = summarisePlanSync(await all(), { deptGoals: ['g1'], actions: [] });
    expect(waiting.deptGoals.g1).toMatchObject({ state: 'queued', attempts: 1, lastError: 'HTTP 503' });
    expect(waiting.lastError).toBe('HTTP 503');
    down = false;
    now += 60_000 * 10;
    expect(await drainOutboxToJira(deps)).toMatchObject({ sent: 1 });
    expect(summarisePlanSync(await all(), { deptGoals: ['g1'], actions: [] }).counts.sent).toBe(1);
  });
});
