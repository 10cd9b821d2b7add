import type { PlanSlice } from '@cxplan/core';
import api from '@forge/api';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from './jira-client';
import { PlanStore } from './plan-store';
import type { RunSyncDeps, SyncOutcome, SyncTarget } from './run-sync';
import { syncConsumer } from './sync-consumer';
import { type SyncStatus, syncResolver } from './sync-resolver';
import { FakeJira } from './testing/fake-jira';
import { kvsOverMap, useFakeJira } from './testing/forge-mocks';
import { CYCLE_ID, FakeClock, planFixture } from './testing/plan-fixture';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('./testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

const jiraTarget = { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' };

let jira: FakeJira;
let storage: ReturnType<typeof kvsOverMap>;
let target: SyncTarget;
let invoke: (functionKey: string, payload?: unknown) => Promise<unknown>;
let clock: FakeClock;
let makeDeps: (budgetMs?: number) => RunSyncDeps;
let queued: Array<{ body: { attempt: number; reason: string }; delaySeconds: number }>;

function slice(goals = 3, actionsPerGoal = 4): PlanSlice {
  const { orgGoals, deptGoals, actions } = planFixture(goals, actionsPerGoal);
  return { cycleId: CYCLE_ID, orgGoals, deptGoals, actions };
}

beforeEach(() => {
  jira = new FakeJira();
  useFakeJira(jira);
  storage = kvsOverMap();
  target = {
    organisation: { name: 'Acme', businessObjectives: [] },
    departments: planFixture(1, 0).departments,
  };
  clock = new FakeClock();
  makeDeps = (budgetMs = 25_000): RunSyncDeps => ({
    client: new JiraClient(api.asApp(), { clock, budgetMs }),
    plans: new PlanStore(storage.kvs),
    kvs: storage.kvs,
    readTarget: async () => target,
    now: () => new Date(clock.now()),
  });
  // The real @forge/resolver: definitions invoked the way Forge invokes them.
  queued = [];
  const handler = syncResolver(
    () => makeDeps(),
    async (body, delaySeconds) => {
      queued.push({ body, delaySeconds });
    },
  ).getDefinitions();
  invoke = (functionKey, payload) => handler({ call: { functionKey, payload }, context: {} } as never);
});

describe('the sync resolver', () => {
  it('says what is missing before anything is configured', async () => {
    expect(await invoke('syncNow')).toEqual({
      kind: 'not-configured',
      message: 'Choose the Jira project and issue types on the cxplan admin page first.',
      continuing: false,
    });
    target = { ...target, jira: jiraTarget };
    expect(await invoke('syncNow')).toMatchObject({ kind: 'no-plan' });
  });

  it('refuses an invalid plan with the field at fault and keeps the stored one', async () => {
    expect(await invoke('importPlan', { plan: slice() })).toEqual({ ok: true, cycleId: CYCLE_ID });
    const before = structuredClone([...storage.store.entries()]);
    const bad = slice();
    const broken = {
      ...bad,
      actions: bad.actions.map((a, i) => (i === 2 ? { ...a, status: 'finished' } : a)),
    };
    const answer = (await invoke('importPlan', { plan: broken })) as { ok: boolean; message: string };
    expect(answer.ok).toBe(false);
    expect(answer.message).toBe('actions.2.status must be todo, in-progress, done or dropped');
    expect([...storage.store.entries()]).toEqual(before);
  });

  it('pushes the imported plan, stores the links and a summary, and then syncs with no write', async () => {
    target = { ...target, jira: jiraTarget };
    await invoke('importPlan', { plan: slice(3, 4) });
    const first = (await invoke('syncNow')) as Extract<SyncOutcome, { kind: 'synced' }>;
    expect(first.kind).toBe('synced');
    expect(first.summary).toMatchObject({
      created: 15,
      edited: 0,
      failures: [],
      conflicts: [],
      projectKey: 'CX',
    });
    const stored = await new PlanStore(storage.kvs).load(CYCLE_ID);
    expect(stored?.actions.every((a) => a.jira?.issueKey.startsWith('CX-'))).toBe(true);

    const writesBefore = jira.count({ writes: true });
    const kvsSet = vi.spyOn(storage.kvs, 'set');
    const second = (await invoke('syncNow')) as Extract<SyncOutcome, { kind: 'synced' }>;
    expect(second.summary).toMatchObject({ created: 0, edited: 0, propertiesWritten: 0, pulled: 0 });
    expect(jira.count({ writes: true })).toBe(writesBefore);
    // Only the lock and the summary: plan records that did not change are not rewritten.
    expect(kvsSet.mock.calls.map(([key]) => key)).toEqual(['cxplan-sync:lock', 'cxplan-sync:last-report']);
    expect(storage.store.has('cxplan-sync:lock')).toBe(false);

    const status = (await invoke('getSyncStatus')) as SyncStatus;
    expect(status).toMatchObject({ projectKey: 'CX', cycleId: CYCLE_ID, lastReport: { created: 0 } });
  });

  it('runs one sync at a time', async () => {
    target = { ...target, jira: jiraTarget };
    await invoke('importPlan', { plan: slice(1, 1) });
    storage.store.set('cxplan-sync:lock', { at: 'earlier' });
    expect(await invoke('syncNow')).toMatchObject({
      kind: 'busy',
      message: expect.stringContaining('Another sync is running'),
    });
    expect(jira.count({ writes: true })).toBe(0);
  });

  it('explains what a project without an epic type lacks, and an unknown project', async () => {
    const noEpics = new FakeJira({
      projectKey: 'OPS',
      issueTypes: [{ id: '1', name: 'Task', hierarchyLevel: 0 }],
    });
    useFakeJira(noEpics);
    expect(await invoke('checkProject', { projectKey: 'OPS' })).toEqual({
      ok: false,
      problem:
        "Project OPS has no epic issue type (hierarchy level 1). Department goals become epics: use a software project, or add the Epic type to the project's issue type scheme.",
    });
    expect(await invoke('checkProject', { projectKey: 'NOPE' })).toEqual({
      ok: false,
      problem: 'Project NOPE does not exist or the app cannot see it.',
    });
    useFakeJira(jira);
    expect(await invoke('checkProject', { projectKey: 'CX' })).toEqual({
      ok: true,
      epicIssueTypeId: '10000',
      actionIssueTypeId: '10001',
    });
    expect(await invoke('checkProject', { projectKey: 'cx; DROP' })).toMatchObject({ ok: false });
  });

  it('hands a sync that outruns its 25 s to the queue consumer, which finishes it', async () => {
    target = { ...target, jira: jiraTarget };
    await invoke('importPlan', { plan: slice(4, 50) });
    // Jira throttles after the epics are in: the resolver's budget runs out while waiting.
    let throttled = false;
    jira.afterRequest = (_request, operationId) => {
      if (operationId === 'createIssues' && !throttled) {
        throttled = true;
        jira.inject({
          when: () => true,
          times: 3,
          response: { status: 429, headers: { 'Retry-After': '20' } },
        });
      }
    };
    const outcome = (await invoke('syncNow')) as {
      kind: string;
      continuing: boolean;
      summary: SyncSummaryLike;
    };
    expect(outcome).toMatchObject({ kind: 'synced', continuing: true, summary: { created: 4 } });
    expect(outcome.summary.stoppedEarly).toContain('Jira asked to wait 20 s');
    expect(queued).toEqual([{ body: { attempt: 1, reason: 'time budget' }, delaySeconds: 5 }]);

    // The consumer, invoked as Forge invokes a queue consumer's resolver method, with its 840 s budget.
    const consumer = syncConsumer(
      () => makeDeps(840_000),
      async () => {
        throw new Error('must not need another continuation');
      },
    ).getDefinitions();
    const done = (await consumer({
      call: { functionKey: 'sync', payload: queued[0]?.body },
      context: {},
    } as never)) as {
      kind: string;
      continuing: boolean;
      summary: SyncSummaryLike;
    };
    expect(done).toMatchObject({
      kind: 'synced',
      continuing: false,
      summary: { created: 200, failures: [] },
    });
    expect(done.summary.stoppedEarly).toBeUndefined();
    expect(jira.issues.size).toBe(204);
  });
});

type SyncSummaryLike = { created: number; stoppedEarly?: string };
