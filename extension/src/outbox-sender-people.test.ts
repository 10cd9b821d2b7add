import {
  type Action,
  ActionSchema,
  type DeptGoal,
  DeptGoalSchema,
  IngestBatchSchema,
  parseOrThrow,
  parseWith,
} from '@cxplan/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PAIRING_KEY, type PairingArea, type StoredPairing } from './jira-pairing';
import { drainOutboxToJira } from './outbox-sender';
import { CxplanDb } from './storage/db';
import { StorageService } from './storage/storage-service';
import { sampleClip } from './storage/test-fixtures';

const T0 = Date.UTC(2026, 10, 23, 10);
let now = T0;
let n = 0;
let storage: StorageService;
let local: MemoryArea;

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

const pairing: StoredPairing = {
  triggerUrl: 'https://site.example/x1/trigger',
  originPattern: 'https://site.example/*',
  secret: `cxp1.k_12345678.${'A'.repeat(43)}`,
  keyId: 'k_12345678',
  pairedAt: '2026-11-23T09:00:00.000Z',
  clockOffsetMs: 0,
};

function goal(id: string, ownerId?: string): DeptGoal {
  return parseOrThrow(DeptGoalSchema, {
    id,
    cycleId: 'cycle-1',
    departmentId: 'dept-support',
    orgGoalId: 'org-1',
    title: `Goal ${id}`,
    metric: {
      name: 'First-contact resolution',
      unit: '%',
      direction: 'increase',
      baseline: 61,
      target: 75,
      due: '2026-12-31',
    },
    ...(ownerId !== undefined && { ownerId }),
  });
}

function action(id: string, deptGoalId: string, ownerId?: string): Action {
  return parseOrThrow(ActionSchema, {
    id,
    cycleId: 'cycle-1',
    deptGoalId,
    title: `Action ${id}`,
    doneCriterion: 'Runbook published',
    due: '2026-10-31',
    component: 'process',
    ...(ownerId !== undefined && { ownerId }),
  });
}

/** Accepts every item and records each raw body (as sent) and its parse with the core batch schema. */
function recordingFetch(): typeof fetch & { raw: Array<Record<string, unknown>> } {
  const raw: Array<Record<string, unknown>> = [];
  const fn = (async (_url: string, init: RequestInit) => {
    const json = JSON.parse(String(init.body)) as Record<string, unknown>;
    const batch = parseWith(IngestBatchSchema, json);
    if (!batch.ok) throw new Error(`the sender sent an invalid batch: ${JSON.stringify(batch.errors)}`);
    raw.push(json);
    return Response.json({
      ok: true,
      version: 1,
      serverTime: new Date(now).toISOString(),
      results: batch.value.items.map((i) => ({ clientId: i.clientId, kind: i.kind, status: 'created' })),
    });
  }) as typeof fetch & { raw: Array<Record<string, unknown>> };
  fn.raw = raw;
  return fn;
}

const drain = (fetchFn: typeof fetch, maxItems?: number) =>
  drainOutboxToJira({
    storage,
    local,
    clock: () => now,
    fetch: fetchFn,
    random: () => 0.5,
    ...(maxItems !== undefined && { maxItems }),
  });

beforeEach(async () => {
  fakeBrowser.reset();
  now = T0;
  storage = new StorageService(
    new CxplanDb(`sender-people-${Math.random()}`),
    () => now,
    () => `o-${++n}`,
  );
  local = new MemoryArea();
  await local.set({ [PAIRING_KEY]: pairing });
  await storage.put('people', {
    id: 'p-ana',
    name: 'Ana Lopez',
    email: 'ana@example.com',
    jiraAccountId: '5b10ac8d82e05b22cc7d4ef5',
    role: 'manager',
    departmentId: 'dept-support',
  });
  await storage.put('people', { id: 'p-ben', name: 'Ben Okafor', email: 'ben@example.com', role: 'staff' });
  await storage.put('people', {
    id: 'p-cleo',
    name: 'Cleo Unreferenced',
    email: 'cleo@example.com',
    jiraAccountId: '5b10ac8d82e05b22cc7d4ef6',
    role: 'executive',
  });
});

describe('people sent with goals and actions', () => {
  it('carries, per batch, only the owners its goals and actions name, with id, name, e-mail, account id', async () => {
    await storage.put('deptGoals', goal('g1', 'p-ana'));
    await storage.put('deptGoals', goal('g2', 'p-ben'));
    await storage.put('actions', action('a1', 'g1', 'p-ana'));
    await storage.put('actions', action('a2', 'g1'));
    await storage.put('actions', action('a3', 'g2', 'p-gone')); // an owner no longer stored
    const f = recordingFetch();
    expect(await drain(f, 2)).toMatchObject({ requests: 3, sent: 5 });

    expect(f.raw.map((b) => (b.items as Array<{ clientId: string }>).map((i) => i.clientId))).toEqual([
      ['g1', 'g2'],
      ['a1', 'a2'],
      ['a3'],
    ]);
    // Exactly these entries: no role or department, and nobody the batch does not name (Cleo, or Ben in batch 2).
    expect(f.raw[0]?.people).toEqual([
      { id: 'p-ana', name: 'Ana Lopez', email: 'ana@example.com', jiraAccountId: '5b10ac8d82e05b22cc7d4ef5' },
      { id: 'p-ben', name: 'Ben Okafor', email: 'ben@example.com' },
    ]);
    expect(f.raw[1]?.people).toEqual([
      { id: 'p-ana', name: 'Ana Lopez', email: 'ana@example.com', jiraAccountId: '5b10ac8d82e05b22cc7d4ef5' },
    ]);
    // The unknown owner is not invented: the Jira app decides (its organisation, else a field error).
    expect(f.raw[2]).not.toHaveProperty('people');
    expect(JSON.stringify(f.raw)).not.toContain('p-cleo');
  });

  it('sends one entry per owner however many items of the batch name them', async () => {
    await storage.put('deptGoals', goal('g1', 'p-ana'));
    await storage.put('actions', action('a1', 'g1', 'p-ana'));
    await storage.put('actions', action('a2', 'g1', 'p-ana'));
    const f = recordingFetch();
    expect(await drain(f)).toMatchObject({ requests: 1, sent: 3 });
    expect(f.raw[0]?.people).toEqual([expect.objectContaining({ id: 'p-ana' })]);
  });

  it('a batch of clips only carries no people', async () => {
    await storage.addCapture(sampleClip(1));
    await storage.addCapture(sampleClip(2));
    const f = recordingFetch();
    expect(await drain(f)).toMatchObject({ requests: 1, sent: 2 });
    expect(f.raw[0]).not.toHaveProperty('people');
  });

  it('sends an owner without an Atlassian account id with their e-mail (the Jira app matches on it)', async () => {
    await storage.put('deptGoals', goal('g1', 'p-ben'));
    const f = recordingFetch();
    expect(await drain(f)).toMatchObject({ requests: 1, sent: 1 });
    expect(f.raw[0]?.people).toEqual([{ id: 'p-ben', name: 'Ben Okafor', email: 'ben@example.com' }]);
  });

  it('sends the owner as stored when the batch goes, not when the goal was queued', async () => {
    await storage.put('deptGoals', goal('g1', 'p-ben'));
    await storage.put('people', {
      id: 'p-ben',
      name: 'Ben Okafor',
      email: 'ben@example.com',
      jiraAccountId: '5b10ac8d82e05b22cc7d4ef7',
      role: 'staff',
    });
    const f = recordingFetch();
    await drain(f);
    expect(f.raw[0]?.people).toEqual([
      {
        id: 'p-ben',
        name: 'Ben Okafor',
        email: 'ben@example.com',
        jiraAccountId: '5b10ac8d82e05b22cc7d4ef7',
      },
    ]);
  });
});
