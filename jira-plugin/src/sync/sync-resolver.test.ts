import api from '@forge/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../jira-client/jira-client';
import { live, readCyclePlan } from '../team-store/plan-reads';
import { FakeJira } from '../testing/fake-jira';
import { useFakeJira } from '../testing/forge-mocks';
import { CYCLE_ID, FakeClock, planFixture } from '../testing/plan-fixture';
import { seedPlan, type TeamFixture, teamFixture } from '../testing/team-fixture';
import { JIRA_TARGET_KEY } from '../workflow/organisation-config';
import type { RunSyncDeps, SyncOutcome } from './run-sync';
import { syncConsumer } from './sync-consumer';
import { type SyncStatus, syncResolver } from './sync-resolver';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

const jiraTarget = { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' };

let jira: FakeJira;
let team: TeamFixture;
let invoke: (functionKey: string, payload?: unknown) => Promise<unknown>;
let clock: FakeClock;
let makeDeps: (budgetMs?: number) => RunSyncDeps;
let queued: Array<{ body: { attempt: number; reason: string }; delaySeconds: number }>;

beforeEach(async () => {
  jira = new FakeJira();
  useFakeJira(jira);
  team = await teamFixture();
  clock = new FakeClock();
  makeDeps = (budgetMs = 25_000): RunSyncDeps => ({
    client: new JiraClient(api.asApp(), { clock, budgetMs }),
    store: team.deps,
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
afterEach(() => team.close());

describe('the sync resolver (plan read from the team store on MariaDB, Jira faked from its OpenAPI spec)', () => {
  it('says what is missing before anything is configured', async () => {
    expect(await invoke('syncNow')).toEqual({
      kind: 'not-configured',
      message: 'Choose the Jira project and issue types on the cxplan admin page first.',
      continuing: false,
    });
    await team.kv.set(JIRA_TARGET_KEY, jiraTarget);
    expect(await invoke('syncNow')).toMatchObject({ kind: 'no-plan' });
    expect(await invoke('getSyncStatus')).toEqual({ projectKey: 'CX', cycleIds: [] });
  });

  it('pushes the stored plan, stores the links in the team store and a summary, and then syncs with no write', async () => {
    await team.kv.set(JIRA_TARGET_KEY, jiraTarget);
    await seedPlan(team, planFixture(3, 4));
    const first = (await invoke('syncNow')) as Extract<SyncOutcome, { kind: 'synced' }>;
    expect(first.kind).toBe('synced');
    expect(first.summary).toMatchObject({
      cycleIds: [CYCLE_ID],
      created: 15,
      edited: 0,
      failures: [],
      conflicts: [],
      projectKey: 'CX',
    });
    const stored = await readCyclePlan(team.sql, CYCLE_ID);
    expect(live(stored.actions).every((a) => a.jira?.issueKey.startsWith('CX-'))).toBe(true);
    expect(stored.deptGoals.map((g) => g.changedBy)).toEqual(['jira', 'jira', 'jira']);

    const writesBefore = jira.count({ writes: true });
    const kvsSet = vi.spyOn(team.kv, 'set');
    const second = (await invoke('syncNow')) as Extract<SyncOutcome, { kind: 'synced' }>;
    expect(second.summary).toMatchObject({ created: 0, edited: 0, propertiesWritten: 0, pulled: 0 });
    expect(jira.count({ writes: true })).toBe(writesBefore);
    // Only the lock and the summary: nothing changed, so the store announced no write.
    expect(kvsSet.mock.calls.map(([key]) => key)).toEqual(['cxplan-sync:lock', 'cxplan-sync:last-report']);
    expect(team.kv.keys('cxplan-sync:lock')).toEqual([]);

    const status = (await invoke('getSyncStatus')) as SyncStatus;
    expect(status).toMatchObject({ projectKey: 'CX', cycleIds: [CYCLE_ID], lastReport: { created: 0 } });
  });

  it('runs one sync at a time', async () => {
    await team.kv.set(JIRA_TARGET_KEY, jiraTarget);
    await seedPlan(team, planFixture(1, 1));
    await team.kv.set('cxplan-sync:lock', { at: 'earlier' });
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
    await team.kv.set(JIRA_TARGET_KEY, jiraTarget);
    await seedPlan(team, planFixture(4, 50));
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
    // The epics' links are in the store already: the continuation re-reads Jira and creates nothing twice.
    expect(live((await readCyclePlan(team.sql, CYCLE_ID)).deptGoals).every((g) => g.jira)).toBe(true);

    // The consumer, invoked as Forge invokes a queue consumer function (an AsyncEvent), with its 840 s budget.
    const consumer = syncConsumer(
      () => makeDeps(840_000),
      async () => {
        throw new Error('must not need another continuation');
      },
    );
    const done = (await consumer({ body: queued[0]?.body ?? {} })) as {
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
