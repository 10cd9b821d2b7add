import { type Action, CXPLAN_DELETED_LABEL } from '@cxplan/core';
import api from '@forge/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../jira-client/jira-client';
import { readCyclePlan, readEntity } from '../team-store/plan-reads';
import { FakeJira } from '../testing/fake-jira';
import { useFakeJira } from '../testing/forge-mocks';
import { CYCLE_ID, planFixture } from '../testing/plan-fixture';
import { putOp, seedOrganisation, seedPlan, type TeamFixture, teamFixture } from '../testing/team-fixture';
import { JIRA_TARGET_KEY } from '../workflow/organisation-config';
import { runSync, type SyncSummary } from './run-sync';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

let jira: FakeJira;
let team: TeamFixture;

/** One sync as the app runs it: Jira as the app, the plan from the team store. */
async function sync(): Promise<SyncSummary> {
  const outcome = await runSync({
    client: new JiraClient(api.asApp()),
    store: team.deps,
    now: () => new Date(),
  });
  if (outcome.kind !== 'synced') throw new Error(`${outcome.kind}: ${outcome.message}`);
  return outcome.summary;
}

async function action(id: string) {
  const stored = await readEntity(team.sql, 'actions', id);
  if (!stored) throw new Error(`no action ${id}`);
  return stored as typeof stored & { body: Action };
}

beforeEach(async () => {
  jira = new FakeJira();
  useFakeJira(jira);
  team = await teamFixture();
  await seedOrganisation(team); // Dan heads Support
  await team.kv.set(JIRA_TARGET_KEY, {
    projectKey: 'CX',
    epicIssueTypeId: '10000',
    actionIssueTypeId: '10001',
  });
  const plan = planFixture(2, 2);
  await seedPlan(team, {
    ...plan,
    departments: [],
    deptGoals: plan.deptGoals.map((g) => ({ ...g, departmentId: 'support' })),
  });
});
afterEach(() => team.close());

describe('the Jira sync reads the plan from the team store and writes back what changed in Jira', () => {
  it('given an action moved to Done in Jira, when the sync runs, then the store has it and a replica that had not seen it is superseded', async () => {
    await sync();
    const before = await action('action-1-1');
    const key = before.body.jira?.issueKey ?? '';
    jira.moveToCategory(key, 'done');

    const summary = await sync();
    expect(summary.pulled).toBe(1);
    const after = await action('action-1-1');
    expect(after.body.status).toBe('done');
    expect(after.changedBy).toBe('jira');

    // Dan's browser had the action at the version before Jira's change and sets the status back: superseded.
    const [result] = await team.push('dan', [
      putOp('actions', 'action-1-1', before.version, { status: 'todo' }),
    ]);
    expect(result).toMatchObject({ status: 'superseded', superseded: [{ field: 'status', by: 'jira' }] });
    expect((await action('action-1-1')).body.status).toBe('done');
    // … so the next sync leaves Jira alone: the revert never reaches the issue.
    await sync();
    expect(jira.categoryOf(jira.issueByKey(key))).toBe('done');
  });

  it('given an action deleted in the store, when the sync runs, then its issue is labelled cxplan-deleted, closed and reported, and the history stays', async () => {
    await sync();
    const doomed = await action('action-2-1');
    const key = doomed.body.jira?.issueKey ?? '';
    const [deleted] = await team.push('dan', [
      { opId: 'del-1', kind: 'actions', id: 'action-2-1', baseVersion: doomed.version, type: 'delete' },
    ]);
    expect(deleted?.status).toBe('applied');

    const summary = await sync();
    expect(summary.findings).toContainEqual({
      kind: 'closed',
      entity: 'action',
      coreId: 'action-2-1',
      issueKey: key,
      why: 'deleted',
    });
    const issue = jira.issueByKey(key);
    expect(issue.labels).toEqual(['cxplan', CXPLAN_DELETED_LABEL]);
    expect(jira.categoryOf(issue)).toBe('done');
    // The store keeps the tombstone (replicas learn of the delete; the history is kept), with its issue link.
    const tombstone = await action('action-2-1');
    expect(tombstone).toMatchObject({ deleted: true, body: { jira: { issueKey: key } } });
    // The next sync has nothing left to do for it.
    const mark = jira.calls.length;
    const again = await sync();
    expect(again.findings).toEqual([]);
    expect(
      jira.calls.slice(mark).filter((c) => c.method !== 'GET' && !c.operationId.startsWith('search')),
    ).toEqual([]);
  });

  it('given a goal deleted in the store, when the sync runs, then its epic and its actions’ issues are closed', async () => {
    await sync();
    const plan = await readCyclePlan(team.sql, CYCLE_ID);
    const goal = plan.deptGoals.find((g) => g.id === 'goal-1');
    if (!goal) throw new Error('no goal-1');
    await team.push('dan', [
      { opId: 'del-g', kind: 'deptGoals', id: 'goal-1', baseVersion: goal.version, type: 'delete' },
    ]);
    const summary = await sync();
    expect(summary.findings.flatMap((f) => (f.kind === 'closed' ? [[f.coreId, f.why]] : [])).sort()).toEqual([
      ['action-1-1', 'goal-deleted'],
      ['action-1-2', 'goal-deleted'],
      ['goal-1', 'deleted'],
    ]);
    expect(summary.failures).toEqual([]);
    const closed = [...jira.issues.values()].filter((i) => i.labels.includes(CXPLAN_DELETED_LABEL));
    expect(closed.map((i) => jira.categoryOf(i))).toEqual(['done', 'done', 'done']);
  });

  it('given a summary edited in Jira, when the sync runs, then the title in the store is Jira’s, changed by Jira', async () => {
    await sync();
    const key = (await action('action-1-2')).body.jira?.issueKey ?? '';
    jira.editSummary(key, 'Call back within two hours');
    await sync();
    expect(await action('action-1-2')).toMatchObject({
      changedBy: 'jira',
      body: { title: 'Call back within two hours' },
    });
  });
});
