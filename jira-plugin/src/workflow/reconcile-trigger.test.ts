import type { Action } from '@cxplan/core';
import api from '@forge/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../jira-client/jira-client';
import { runSync } from '../sync/run-sync';
import { readEntity } from '../team-store/plan-reads';
import { FakeJira } from '../testing/fake-jira';
import { sharedKvs, useFakeJira } from '../testing/forge-mocks';
import { planFixture } from '../testing/plan-fixture';
import { putOp, seedOrganisation, seedPlan, type TeamFixture, teamFixture } from '../testing/team-fixture';
import { WorkflowEnforcement } from '../testing/workflow-enforcement';
import { JIRA_TARGET_KEY } from './organisation-config';
import { handler as reconcile } from './reconcile-trigger';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});
vi.mock('@forge/kvs', async () => (await import('../testing/forge-mocks')).kvsModule());

let jira: FakeJira;
let workflow: WorkflowEnforcement;
let team: TeamFixture;

const sync = () => runSync({ client: new JiraClient(api.asApp()), store: team.deps, now: () => new Date() });

async function stored(id: string) {
  const action = await readEntity(team.sql, 'actions', id);
  if (!action) throw new Error(`no action ${id}`);
  return action as typeof action & { body: Action };
}

beforeEach(async () => {
  team = await teamFixture({ kv: sharedKvs });
  jira = new FakeJira({ users: { sam: 'Sam Staff', dan: 'Dan Head' } });
  useFakeJira(jira);
  // Jira sends avi:jira:updated:issue to the app's trigger after each edit made in its UI.
  workflow = new WorkflowEnforcement(jira, {
    modules: {},
    postFunctions: {},
    rules: {},
    users: {},
    issueUpdated: reconcile,
  });
  await seedOrganisation(team); // Dan heads Support; Sam is staff there
  await team.kv.set(JIRA_TARGET_KEY, {
    projectKey: 'CX',
    epicIssueTypeId: '10000',
    actionIssueTypeId: '10001',
  });
  const plan = planFixture(1, 1);
  await seedPlan(team, {
    ...plan,
    departments: [],
    deptGoals: plan.deptGoals.map((g) => ({ ...g, departmentId: 'support' })),
    actions: plan.actions.map((a) => ({ ...a, ownerId: 'dan' })),
  });
  expect((await sync()).kind).toBe('synced');
});
afterEach(() => team.close());

describe('changes made to an action issue in Jira enter the team store (the issue-updated trigger)', () => {
  it('given Sam moves the action to Done, takes it and changes its due date in Jira, then the store has them as Sam’s, and a browser that had not seen them cannot undo them', async () => {
    const before = await stored('action-1-1');
    const key = before.body.jira?.issueKey ?? '';

    workflow.editAsUser(key, 'sam', { category: 'done', assignee: 'sam', due: '2027-03-31' });
    await workflow.settle();
    expect(workflow.failures).toEqual([]);
    const after = await stored('action-1-1');
    expect(after.body).toMatchObject({ status: 'done', ownerId: 'sam', due: '2027-03-31' });
    expect(after.changedBy).toBe('sam');

    // Dan's browser, still on the version before Sam's edit, sets all three back ("the revert"): superseded.
    const [revert] = await team.push('dan', [
      putOp('actions', 'action-1-1', before.version, { status: 'todo', ownerId: 'dan', due: '2026-10-31' }),
    ]);
    expect(revert).toMatchObject({ status: 'superseded' });
    expect(revert?.status === 'superseded' && revert.superseded.map((f) => [f.field, f.by]).sort()).toEqual([
      ['due', 'sam'],
      ['ownerId', 'sam'],
      ['status', 'sam'],
    ]);
    expect((await stored('action-1-1')).body).toMatchObject({
      status: 'done',
      ownerId: 'sam',
      due: '2027-03-31',
    });

    // The next sync finds store and Jira agreeing: the issue stays Done.
    const outcome = await sync();
    expect(outcome.kind === 'synced' && outcome.summary.conflicts).toEqual([]);
    expect(jira.categoryOf(jira.issueByKey(key))).toBe('done');
  });

  it('given the action is unassigned and its due date cleared in Jira, then the store’s action has no owner and no due date', async () => {
    const key = (await stored('action-1-1')).body.jira?.issueKey ?? '';
    workflow.editAsUser(key, 'dan', { assignee: null, due: null });
    await workflow.settle();
    const after = await stored('action-1-1');
    expect(after.body.ownerId).toBeUndefined();
    expect(after.body.due).toBeUndefined();
    expect(after.changedBy).toBe('dan');
  });

  it('given an issue whose cxplan.action property names an action it is not linked to, then nothing enters the store', async () => {
    const before = await stored('action-1-1');
    const [other] = await new JiraClient(api.asApp()).createIssues([
      {
        fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: 'Copied issue' },
        properties: [{ key: 'cxplan.action', value: { id: 'action-1-1' } }],
      },
    ]);
    if (!other?.ok) throw new Error('not created');
    workflow.editAsUser(other.key, 'sam', { category: 'done' });
    await workflow.settle();
    expect(workflow.outcomes.at(-1)).toEqual({
      kind: 'ignored',
      why: `${other.key} is not linked to an action cxplan holds`,
    });
    expect((await stored('action-1-1')).version).toBe(before.version);
  });
});
