import api from '@forge/api';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { applySyncPlan } from '../sync/sync-executor';
import { FakeJira } from '../testing/fake-jira';
import { useFakeJira } from '../testing/forge-mocks';
import { FakeClock } from '../testing/plan-fixture';
import { JiraBudgetExceeded, JiraClient, JiraError } from './jira-client';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

let jira: FakeJira;
let clock: FakeClock;

beforeEach(() => {
  jira = new FakeJira();
  clock = new FakeClock();
  useFakeJira(jira);
});

const client = (options: ConstructorParameters<typeof JiraClient>[1] = {}): JiraClient =>
  new JiraClient(api.asApp(), { clock, random: () => 0.5, ...options });

async function oneIssue(): Promise<string> {
  const [created] = await client().createIssues([
    {
      fields: {
        project: { key: 'CX' },
        issuetype: { id: '10001' },
        summary: 'An action',
        labels: ['cxplan'],
      },
    },
  ]);
  if (!created?.ok) throw new Error('not created');
  return created.key;
}

describe('JiraClient', () => {
  it('names the issue and the field Jira rejected', async () => {
    const key = await oneIssue();
    const error = await client()
      .editIssue(key, { summary: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraError);
    expect((error as JiraError).message).toBe(
      'Jira refused edit issue of CX-1 (HTTP 400): summary: You must specify a summary of the issue.',
    );
    expect((error as JiraError).fieldErrors).toEqual({ summary: 'You must specify a summary of the issue.' });
    expect((error as JiraError).issue).toBe('CX-1');
  });

  it('backs off exponentially with jitter when Jira gives no Retry-After, and gives up after maxRetries', async () => {
    jira.inject({ when: () => true, times: 10, response: { status: 503 } });
    const error = await client({ maxRetries: 3, baseDelayMs: 400 })
      .getProject('CX')
      .catch((e: unknown) => e);
    // cap = 400·2^n; wait = cap/2 + cap/2·random(0.5)
    expect(clock.sleeps).toEqual([300, 600, 1200]);
    expect((error as Error).message).toBe('Jira refused read project of CX (HTTP 503 after 3 retries)');
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const at = new Date(clock.time + 4_000).toUTCString();
    jira.inject({ when: () => true, times: 1, response: { status: 429, headers: { 'Retry-After': at } } });
    await client().getProject('CX');
    expect(clock.sleeps).toEqual([4_000]);
  });

  it('starts nothing once the budget is spent', async () => {
    const started = clock.time;
    clock.time += 30_000;
    const error = await client({ startedAt: started, budgetMs: 25_000 })
      .getProject('CX')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraBudgetExceeded);
    expect(jira.calls).toHaveLength(0);
  });

  it('refuses more than 50 issues in one bulk call before asking Jira', async () => {
    const many = Array.from({ length: 51 }, () => ({ fields: {} }));
    await expect(client().createIssues(many)).rejects.toThrow(
      'createIssues takes at most 50 issues per call, got 51',
    );
    expect(jira.calls).toHaveLength(0);
  });
});

describe('applySyncPlan', () => {
  it('does not move the sync base of an issue whose edit Jira refused, so the change is retried next time', async () => {
    const key = await oneIssue();
    const report = await applySyncPlan(client(), {
      createGoals: [],
      createActions: [],
      edits: [{ entity: 'action', coreId: 'a1', issueKey: key, fields: { summary: 'x'.repeat(300) } }],
      transitions: [],
      closes: [],
      propertyWrites: [
        { entity: 'action', coreId: 'a1', issueKey: key, key: 'cxplan.action', value: { moved: true } },
      ],
      pulls: [],
      conflicts: [],
      findings: [],
    });
    expect(report.failures).toEqual([
      {
        entity: 'action',
        coreId: 'a1',
        issueKey: 'CX-1',
        operation: 'edit issue',
        message:
          'Jira refused edit issue of CX-1 (HTTP 400): summary: Summary must be less than 255 characters.',
        fieldErrors: { summary: 'Summary must be less than 255 characters.' },
      },
    ]);
    expect(jira.issueByKey(key).properties.has('cxplan.action')).toBe(false);
    expect(jira.count({ operationId: 'setIssueProperty' })).toBe(0);
  });

  it('reports an action whose workflow has no way to the wanted category', async () => {
    const key = await oneIssue();
    jira.workflow = {
      ...jira.workflow,
      transitions: jira.workflow.transitions.filter((t) => t.name !== 'Done'),
    };
    const report = await applySyncPlan(client(), {
      createGoals: [],
      createActions: [],
      edits: [],
      transitions: [{ coreId: 'a1', issueKey: key, toCategory: 'done' }],
      closes: [],
      propertyWrites: [],
      pulls: [],
      conflicts: [],
      findings: [],
    });
    expect(report.failures[0]?.message).toBe(
      'No transition of CX-1 leads to a status in the "done" category; check the project\'s workflow.',
    );
  });
});

describe('readWorkflows', () => {
  it('reads the workflow of a project and issue type, parsed with the core schema', async () => {
    const response = await client().readWorkflows('10000', '10001');
    expect(response.workflows[0]?.transitions.map((t) => t.name)).toEqual(['To Do', 'In Progress', 'Done']);
    expect(jira.calls.at(-1)).toMatchObject({ operationId: 'readWorkflows', method: 'POST', status: 200 });
  });

  it('names the operation when Jira refuses (no manage:jira-configuration for this user)', async () => {
    jira.inject({
      when: (_r, op) => op === 'readWorkflows',
      response: { status: 403, body: { errorMessages: ['You are not an administrator.'], errors: {} } },
    });
    await expect(client({ maxRetries: 0 }).readWorkflows('10000', '10001')).rejects.toThrow(
      'Jira refused read workflows (HTTP 403): You are not an administrator.',
    );
  });
});
