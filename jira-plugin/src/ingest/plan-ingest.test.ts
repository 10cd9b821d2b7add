import { type IngestResponse, PlanSliceSchema, parseOrThrow } from '@cxplan/core';
import type { WebTriggerResponse } from '@forge/api';
import api from '@forge/api';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../jira-client';
import { PlanStore } from '../plan-store';
import type { RunSyncDeps, SyncTarget } from '../run-sync';
import { FakeJira } from '../testing/fake-jira';
import { kvsOverMap, useFakeJira } from '../testing/forge-mocks';
import { CYCLE_ID, FakeClock, planFixture } from '../testing/plan-fixture';
import { createIngestHandler } from './ingest-handler';
import { generateIngestSecret, type IngestSecretShownOnce } from './ingest-secret';
import { mergeIntoPlan, planIngestSink } from './plan-ingest';
import { MemoryKvs } from './testing/memory-kvs';
import { sampleEvidence, signedRequest } from './testing/signed-request';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

const jiraTarget = { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' };
let jira: FakeJira;
let planKvs: ReturnType<typeof kvsOverMap>;
let target: SyncTarget;
let kv: MemoryKvs;
let secret: IngestSecretShownOnce;
let handle: ReturnType<typeof createIngestHandler>;
let now = Date.UTC(2026, 10, 23, 10);

beforeEach(async () => {
  jira = new FakeJira();
  useFakeJira(jira);
  planKvs = kvsOverMap();
  const fixture = planFixture(1, 0);
  target = { organisation: fixture.organisation, departments: fixture.departments, jira: jiraTarget };
  const clock = new FakeClock(now);
  const makeDeps = (): RunSyncDeps => ({
    client: new JiraClient(api.asApp(), { clock, random: () => 0.5 }),
    plans: new PlanStore(planKvs.kvs),
    kvs: planKvs.kvs,
    readTarget: async () => target,
    now: () => new Date(clock.now()),
  });
  kv = new MemoryKvs(() => now);
  secret = await generateIngestSecret(kv, now);
  handle = createIngestHandler({ kv, plan: planIngestSink(makeDeps), now: () => now });
});

const fixture = planFixture(2, 2);
const goalItem = (i: number, patch: Record<string, unknown> = {}) => {
  const goal = { ...fixture.deptGoals[i], ...patch } as { id: string };
  return { clientId: goal.id, kind: 'deptGoal', payload: { goal } };
};
const actionItem = (i: number, patch: Record<string, unknown> = {}) => {
  const action = { ...fixture.actions[i], ...patch } as { id: string };
  return { clientId: action.id, kind: 'action', payload: { action } };
};
const batch = (items: unknown[], people?: unknown[]): string =>
  JSON.stringify({ version: 1, sentAt: '2026-11-23T10:00:00Z', items, ...(people && { people }) });

async function send(items: unknown[], people?: unknown[]): Promise<IngestResponse & { ok: true }> {
  now += 1_000;
  const res: WebTriggerResponse = await handle(
    signedRequest(secret.secret, batch(items, people), { now, keyId: secret.keyId }),
  );
  const body = JSON.parse(res.body ?? '') as IngestResponse;
  if (!body.ok) throw new Error(`refused: ${body.message}`);
  return body;
}

describe('goals and actions through the ingest become epics and child issues', () => {
  it('creates epics and children with bulk calls and answers with their issue keys', async () => {
    const evidence = { clientId: 'clip-00001', kind: 'evidence', payload: { evidence: sampleEvidence(1) } };
    const res = await send([goalItem(0), goalItem(1), actionItem(0), actionItem(1), actionItem(2), evidence]);
    expect(res.results.map((r) => [r.clientId, r.status])).toEqual([
      ['goal-1', 'created'],
      ['goal-2', 'created'],
      ['action-1-1', 'created'],
      ['action-1-2', 'created'],
      ['action-2-1', 'created'],
      ['clip-00001', 'created'],
    ]);
    for (const r of res.results.slice(0, 5))
      expect(r).toMatchObject({ jiraKey: expect.stringMatching(/^CX-\d+$/) });
    const epics = [...jira.issues.values()].filter((i) => i.issueTypeId === '10000');
    const children = [...jira.issues.values()].filter((i) => i.issueTypeId === '10001');
    expect(epics).toHaveLength(2);
    expect(children).toHaveLength(3);
    expect(jira.count({ operationId: 'createIssues' })).toBe(2); // one bulk call for the epics, one for the children
    expect(kv.keys('cxplan-evidence:')).toEqual(['cxplan-evidence:clip-00001']);
  });

  it('changes nothing when the same items arrive again: duplicates, no Jira write', async () => {
    const items = [goalItem(0), actionItem(0)];
    await send(items);
    const writes = jira.count({ writes: true });
    const again = await send(items);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(jira.count({ writes: true })).toBe(writes);
    expect(jira.issues.size).toBe(2);
  });

  it('updates a changed title with one edit', async () => {
    await send([goalItem(0), actionItem(0)]);
    const writes = jira.count({ writes: true });
    const res = await send([actionItem(0, { title: 'Publish the refund runbook' })]);
    expect(res.results[0]).toMatchObject({ status: 'updated', jiraKey: expect.any(String) });
    expect(jira.count({ writes: true })).toBeGreaterThan(writes);
    const issue = [...jira.issues.values()].find((i) => i.issueTypeId === '10001');
    expect(issue?.summary).toBe('Publish the refund runbook');
  });

  it('syncs every cycle a batch touches: the last cycle update and the next cycle new goal both reach Jira', async () => {
    await send([goalItem(0)]);
    const res = await send([
      goalItem(0, { title: 'Cut refund time (final)' }),
      goalItem(1, { id: 'goal-next', cycleId: 'cycle-next', orgGoalId: undefined }),
    ]);
    expect(res.results.map((r) => [r.clientId, r.status])).toEqual([
      ['goal-1', 'updated'],
      ['goal-next', 'created'],
    ]);
    for (const r of res.results) expect(r).toMatchObject({ jiraKey: expect.stringMatching(/^CX-\d+$/) });
    const summaries = [...jira.issues.values()].map((i) => i.summary).sort();
    expect(summaries).toEqual(['Cut refund time (final)', fixture.deptGoals[1]?.title].sort());
  });

  it('rejects an action whose goal is unknown (retryable), and keeps the rest', async () => {
    const res = await send([actionItem(0, { deptGoalId: 'goal-nowhere' }), goalItem(1)]);
    expect(res.results[0]).toMatchObject({
      status: 'rejected',
      retryable: true,
      reason: expect.stringContaining('goal-nowhere'),
    });
    expect(res.results[1]).toMatchObject({ status: 'created' });
  });

  it('keeps the items in the plan when Jira is not configured yet (no Jira call), pushing them later', async () => {
    target = { ...target, jira: undefined };
    const res = await send([goalItem(0)]);
    expect(res.results[0]).toEqual({ clientId: 'goal-1', kind: 'deptGoal', status: 'created' });
    expect(jira.calls).toHaveLength(0);
    const stored = await new PlanStore(planKvs.kvs).load(CYCLE_ID);
    expect(stored?.deptGoals.map((g) => g.id)).toEqual(['goal-1']);
  });
});

describe("owners: the extension's person ids become Atlassian account ids", () => {
  const storedGoal = async (id: string) =>
    (await new PlanStore(planKvs.kvs).load(CYCLE_ID))?.deptGoals.find((g) => g.id === id);
  const storedAction = async (id: string) =>
    (await new PlanStore(planKvs.kvs).load(CYCLE_ID))?.actions.find((a) => a.id === id);

  it("uses the batch's people: the stored goal and action name the owners' account ids", async () => {
    const res = await send(
      [goalItem(0, { ownerId: 'p-olga' }), actionItem(0, { ownerId: 'p-sam' })],
      [
        { id: 'p-olga', name: 'Olga', jiraAccountId: 'acc-olga' },
        { id: 'p-sam', name: 'Sam', jiraAccountId: 'acc-sam' },
      ],
    );
    expect(res.results.map((r) => r.status)).toEqual(['created', 'created']);
    expect((await storedGoal('goal-1'))?.ownerId).toBe('acc-olga');
    expect((await storedAction('action-1-1'))?.ownerId).toBe('acc-sam');
  });

  it("falls back to the organisation's people: by id (already an account id) or by the batch person's e-mail", async () => {
    target = {
      ...target,
      people: [
        { id: 'acc-bea', name: 'Bea', role: 'executive' },
        { id: 'acc-olga', name: 'Olga', role: 'manager', email: 'olga@example.com' },
      ],
    };
    const res = await send(
      [goalItem(0, { ownerId: 'acc-bea' }), goalItem(1, { ownerId: 'p-olga' })],
      [{ id: 'p-olga', name: 'Olga', email: 'Olga@example.com' }],
    );
    expect(res.results.map((r) => r.status)).toEqual(['created', 'created']);
    expect((await storedGoal('goal-1'))?.ownerId).toBe('acc-bea');
    expect((await storedGoal('goal-2'))?.ownerId).toBe('acc-olga');
  });

  it('rejects an item whose owner has no known account, naming the field; nothing of it is stored', async () => {
    const res = await send(
      [goalItem(0, { ownerId: 'p-nobody' }), goalItem(1, { ownerId: 'p-olga' })],
      [{ id: 'p-olga', jiraAccountId: 'acc-olga' }],
    );
    expect(res.results[0]).toMatchObject({
      clientId: 'goal-1',
      status: 'rejected',
      retryable: false,
      errors: [{ path: 'payload.goal.ownerId' }],
      reason: expect.stringContaining('person p-nobody is not in the batch'),
    });
    expect(res.results[1]).toMatchObject({ status: 'created' });
    expect(await storedGoal('goal-1')).toBeUndefined();
    expect([...jira.issues.values()].map((i) => i.summary)).toEqual([fixture.deptGoals[1]?.title]);
  });
});

describe('mergeIntoPlan', () => {
  it('never lets the extension overwrite what Jira owns: verification and the issue link', () => {
    const goal = fixture.deptGoals[0];
    if (!goal) throw new Error('fixture');
    const stored = parseOrThrow(PlanSliceSchema, {
      cycleId: CYCLE_ID,
      orgGoals: fixture.orgGoals,
      deptGoals: [
        {
          ...goal,
          verification: {
            status: 'verified',
            verifierId: 'p-boss',
            verifiedBy: 'p-boss',
            verifiedAt: '2026-11-20T10:00:00Z',
          },
          jira: { issueKey: 'CX-7' },
        },
      ],
      actions: [],
    });
    const merged = mergeIntoPlan(stored, [
      { clientId: goal.id, kind: 'deptGoal', goal: { ...goal, verification: { status: 'draft' } } },
    ]);
    expect(merged.plan.deptGoals[0]).toMatchObject({
      verification: stored.deptGoals[0]?.verification,
      jira: { issueKey: 'CX-7' },
    });
    expect(merged.statuses).toEqual([[goal.id, 'deptGoal', 'duplicate']]);
  });

  it('keeps a check-in entered in Jira when the extension re-sends the goal without it', () => {
    const goal = fixture.deptGoals.find((g) => g.metric !== undefined);
    if (!goal?.metric) throw new Error('fixture has no goal with a metric');
    const fromExtension = {
      id: 'r-ext',
      value: 1,
      at: '2026-11-01T00:00:00Z',
      recordedAt: '2026-11-01T00:00:00Z',
      by: 'p-ext',
    };
    const fromJira = {
      ...fromExtension,
      id: 'r-jira',
      value: 2,
      recordedAt: '2026-11-02T00:00:00Z',
      by: 'acc-1',
    };
    const stored = parseOrThrow(PlanSliceSchema, {
      cycleId: CYCLE_ID,
      orgGoals: fixture.orgGoals,
      deptGoals: [{ ...goal, metric: { ...goal.metric, readings: [fromExtension, fromJira] } }],
      actions: [],
    });
    const merged = mergeIntoPlan(stored, [
      {
        clientId: goal.id,
        kind: 'deptGoal',
        goal: { ...goal, metric: { ...goal.metric, readings: [fromExtension] } },
      },
    ]);
    expect(merged.plan.deptGoals[0]?.metric?.readings.map((r) => r.id)).toEqual(['r-ext', 'r-jira']);
    expect(merged.statuses).toEqual([[goal.id, 'deptGoal', 'duplicate']]);
  });
});
