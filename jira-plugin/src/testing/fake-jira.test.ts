import { describe, expect, it } from 'vitest';
import { APP_ACCOUNT_ID, FakeJira, simpleWorkflow } from './fake-jira';
import { parseJql } from './fake-jql';

const app = { kind: 'app' } as const;

function create(jira: FakeJira, fields: Record<string, unknown>): { id: string; key: string } {
  const response = jira.handle({
    actor: app,
    method: 'POST',
    path: '/rest/api/3/issue/bulk',
    body: { issueUpdates: [{ fields: { project: { key: 'CX' }, labels: ['cxplan'], ...fields } }] },
  });
  return (response.body as { issues: Array<{ id: string; key: string }> }).issues[0] as {
    id: string;
    key: string;
  };
}

describe('the fake Jira checks every request against the OpenAPI description', () => {
  it('refuses the deprecated /rest/api/3/search', () => {
    const jira = new FakeJira();
    expect(() =>
      jira.handle({
        actor: app,
        method: 'GET',
        path: '/rest/api/3/search?jql=project%3DCX',
        body: undefined,
      }),
    ).toThrow('GET /rest/api/3/search (searchForIssuesUsingJql) is deprecated in the Jira spec');
  });

  it('refuses paths and methods the spec does not have', () => {
    const jira = new FakeJira();
    expect(() =>
      jira.handle({ actor: app, method: 'GET', path: '/rest/api/3/issues/CX-1', body: undefined }),
    ).toThrow('matches no operation');
    expect(() =>
      jira.handle({ actor: app, method: 'PATCH', path: '/rest/api/3/issue/CX-1', body: {} }),
    ).toThrow('matches no operation');
  });

  it('refuses a body that does not match the request schema, naming the field', () => {
    const jira = new FakeJira();
    expect(() =>
      jira.handle({
        actor: app,
        method: 'POST',
        path: '/rest/api/3/search/jql',
        body: { jql: 'project = "CX"', maxResults: 'ten' },
      }),
    ).toThrow('/maxResults must be integer');
    expect(() =>
      jira.handle({
        actor: app,
        method: 'POST',
        path: '/rest/api/3/issue/bulk',
        body: { issueUpdates: [{ properties: [{ key: 'cxplan.goal', val: 1 }] }] },
      }),
    ).toThrow('/issueUpdates/0/properties/0 must NOT have additional properties');
  });

  it('prefers the literal path /issue/bulk over /issue/{issueIdOrKey}', () => {
    const jira = new FakeJira();
    create(jira, { issuetype: { id: '10000' }, summary: 'Goal' });
    expect(jira.calls[0]?.operationId).toBe('createIssues');
  });

  it('refuses more than 50 issues per bulk call and reports per-item field errors', () => {
    const jira = new FakeJira();
    const many = Array.from({ length: 51 }, () => ({ fields: { summary: 'x' } }));
    expect(
      jira.handle({
        actor: app,
        method: 'POST',
        path: '/rest/api/3/issue/bulk',
        body: { issueUpdates: many },
      }).status,
    ).toBe(400);
    const response = jira.handle({
      actor: app,
      method: 'POST',
      path: '/rest/api/3/issue/bulk',
      body: {
        issueUpdates: [
          { fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: 'ok' } },
          { fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: '' } },
          {
            fields: {
              project: { key: 'CX' },
              issuetype: { id: '10001' },
              summary: 'child',
              parent: { key: 'CX-99' },
            },
          },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      issues: [{ key: 'CX-1' }],
      errors: [
        {
          failedElementNumber: 1,
          elementErrors: { errors: { summary: 'You must specify a summary of the issue.' } },
        },
        {
          failedElementNumber: 2,
          elementErrors: { errors: { parent: 'Could not find issue by id or key: CX-99' } },
        },
      ],
    });
  });

  it('only lets a standard issue sit under an epic', () => {
    const jira = new FakeJira();
    const story = create(jira, { issuetype: { id: '10002' }, summary: 'Story' });
    const response = jira.handle({
      actor: app,
      method: 'PUT',
      path: `/rest/api/3/issue/${story.key}`,
      body: { fields: { parent: { key: story.key } } },
    });
    expect(response).toMatchObject({
      status: 400,
      body: { errors: { parent: "Issue type 'Story' cannot have a parent of type 'Story'." } },
    });
  });

  it('pages search results with nextPageToken and returns the requested properties', () => {
    const jira = new FakeJira();
    for (let i = 0; i < 120; i++) create(jira, { issuetype: { id: '10001' }, summary: `Issue ${i}` });
    const body = {
      jql: 'project = "CX" AND labels = "cxplan" ORDER BY key ASC',
      fields: ['summary'],
      maxResults: 100,
    };
    const first = jira.handle({ actor: app, method: 'POST', path: '/rest/api/3/search/jql', body });
    const page1 = first.body as { issues: unknown[]; isLast: boolean; nextPageToken: string };
    expect(page1.issues).toHaveLength(100);
    expect(page1.isLast).toBe(false);
    const second = jira.handle({
      actor: app,
      method: 'POST',
      path: '/rest/api/3/search/jql',
      body: { ...body, nextPageToken: page1.nextPageToken },
    });
    expect(second.body).toMatchObject({ isLast: true });
    expect((second.body as { issues: unknown[] }).issues).toHaveLength(20);
  });

  it('refuses JQL the app does not emit, loudly', () => {
    expect(() => parseJql('project = CX')).toThrow('values must be quoted strings');
    expect(() => parseJql('summary = "x"')).toThrow('unsupported JQL field "summary"');
    expect(() => parseJql('labels ~ "x"')).toThrow('cannot read JQL at "~ "x""');
    expect(() => parseJql('project = "CX" ORDER BY rank')).toThrow('cannot order by rank');
    expect(
      parseJql('project = "CX" AND (labels = "a" OR issue.property[cxplan.goal].id IS NOT EMPTY)').where.kind,
    ).toBe('and');
  });

  it('follows the workflow of the issue type, and lets an engine hide and refuse transitions', () => {
    const epicFlow = {
      statuses: [
        { id: '50', name: 'Draft', category: 'new' as const },
        { id: '51', name: 'Submitted', category: 'indeterminate' as const },
      ],
      initialStatusId: '50',
      transitions: [{ id: '7', name: 'Submit', from: ['50'], to: '51' }],
    };
    const jira = new FakeJira({ workflows: { '10000': epicFlow } });
    const epic = create(jira, { issuetype: { id: '10000' }, summary: 'Goal' });
    const task = create(jira, { issuetype: { id: '10001' }, summary: 'Task' });
    const list = (key: string) =>
      (
        jira.handle({
          actor: app,
          method: 'GET',
          path: `/rest/api/3/issue/${key}/transitions`,
          body: undefined,
        }).body as {
          transitions: Array<{ id: string }>;
        }
      ).transitions.map((t) => t.id);
    expect(list(epic.key)).toEqual(['7']);
    expect(list(task.key)).toEqual(simpleWorkflow().transitions.map((t) => t.id));

    jira.engine = {
      available: ({ workflow, actor }) => (actor.kind === 'user' ? workflow.transitions : []),
      validate: ({ actor }) =>
        actor.kind === 'user' && actor.accountId === 'peer'
          ? 'Only the up-line manager may do this.'
          : undefined,
    };
    const transition = (accountId: string) =>
      jira.handle({
        actor: { kind: 'user', accountId },
        method: 'POST',
        path: `/rest/api/3/issue/${epic.key}/transitions`,
        body: { transition: { id: '7' } },
      });
    expect(transition('peer')).toMatchObject({
      status: 400,
      body: { errorMessages: ['Only the up-line manager may do this.'] },
    });
    expect(transition('upline').status).toBe(204);
    expect(jira.categoryOf(jira.issueByKey(epic.key))).toBe('indeterminate');
  });

  it('answers injected faults instead of handling the request, then recovers', () => {
    const jira = new FakeJira();
    jira.inject({
      when: (_r, op) => op === 'getProject',
      times: 1,
      response: { status: 429, headers: { 'Retry-After': '3' } },
    });
    const get = () =>
      jira.handle({ actor: app, method: 'GET', path: '/rest/api/3/project/CX', body: undefined });
    expect(get()).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    expect(get()).toMatchObject({ status: 200, body: { key: 'CX' } });
  });
});

describe('the fake Jira answers workflows, comments, assignees and bulk transitions itself', () => {
  const user = (accountId: string) => ({ kind: 'user', accountId }) as const;

  it('stores a transition-screen comment, renders comments and the assignee, and answers getComment', () => {
    const jira = new FakeJira({ users: { olga: 'Olga Owner' } });
    const task = create(jira, { issuetype: { id: '10001' }, summary: 'Task' });
    const assigned = jira.handle({
      actor: user('olga'),
      method: 'PUT',
      path: `/rest/api/3/issue/${task.key}/assignee`,
      body: { accountId: 'olga' },
    });
    expect(assigned.status).toBe(204);
    const doc = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'why' }] }],
    };
    const moved = jira.handle({
      actor: user('olga'),
      method: 'POST',
      path: `/rest/api/3/issue/${task.key}/transitions`,
      body: { transition: { id: '31' }, update: { comment: [{ add: { body: doc } }] } },
    });
    expect(moved.status).toBe(204);
    jira.addComment(task.key, APP_ACCOUNT_ID, doc);
    const issue = jira.handle({
      actor: app,
      method: 'GET',
      path: `/rest/api/3/issue/${task.key}?fields=assignee,comment`,
      body: undefined,
    });
    const fields = (issue.body as { fields: Record<string, unknown> }).fields;
    expect(fields.assignee).toMatchObject({ accountId: 'olga', displayName: 'Olga Owner' });
    const comments = (fields.comment as { comments: Array<{ id: string; author: { accountId: string } }> })
      .comments;
    expect(comments.map((c) => c.author.accountId)).toEqual(['olga', APP_ACCOUNT_ID]);
    const first = comments[0]?.id ?? '';
    expect(
      jira.handle({
        actor: app,
        method: 'GET',
        path: `/rest/api/3/issue/${task.key}/comment/${first}`,
        body: undefined,
      }),
    ).toMatchObject({ status: 200, body: { id: first, body: doc } });
    expect(
      jira.handle({
        actor: app,
        method: 'GET',
        path: `/rest/api/3/issue/${task.key}/comment/1`,
        body: undefined,
      }).status,
    ).toBe(404);
    // The spec's body schema still applies: an assignee must be an object, not a bare string.
    expect(() =>
      jira.handle({
        actor: app,
        method: 'PUT',
        path: `/rest/api/3/issue/${task.key}/assignee`,
        body: 'olga',
      }),
    ).toThrow('/assignee request body does not match the Jira spec: (root) must be object');
  });

  it('reads the workflow of an issue type with the rules the engine enforces', () => {
    const jira = new FakeJira();
    jira.engine = {
      ...jira.engine,
      rulesOf: (t) => (t.id === '31' ? { validators: ['only-upline'] } : {}),
    };
    const response = jira.handle({
      actor: user('admin'),
      method: 'POST',
      path: '/rest/api/3/workflows',
      body: { projectAndIssueTypes: [{ projectId: '10000', issueTypeId: '10001' }] },
    });
    expect(response.status).toBe(200);
    const body = response.body as {
      statuses: Array<{ name: string }>;
      workflows: Array<{
        transitions: Array<{ id: string; validators: Array<{ parameters: { key: string } }> }>;
      }>;
    };
    expect(body.statuses.map((s) => s.name)).toEqual(['To Do', 'In Progress', 'Done']);
    const done = body.workflows[0]?.transitions.find((t) => t.id === '31');
    expect(done?.validators[0]?.parameters.key).toMatch(/\/only-upline$/);
  });

  it('runs a bulk transition per issue through the engine and reports failures in the task', async () => {
    const jira = new FakeJira();
    const ok = create(jira, { issuetype: { id: '10001' }, summary: 'A' });
    const refused = create(jira, { issuetype: { id: '10001' }, summary: 'B' });
    const applied: string[] = [];
    jira.engine = {
      ...jira.engine,
      validate: ({ issue }) => (issue.key === refused.key ? 'Not this one.' : undefined),
      applied: ({ issue, fromStatusId }) => applied.push(`${issue.key}:${fromStatusId}->${issue.statusId}`),
    };
    const submit = await jira.handleAsync({
      actor: user('bea'),
      method: 'POST',
      path: '/rest/api/3/bulk/issues/transition',
      body: {
        bulkTransitionInputs: [
          { selectedIssueIdsOrKeys: [ok.key, refused.key, 'CX-999'], transitionId: '31' },
        ],
      },
    });
    expect(submit.status).toBe(201);
    const { taskId } = submit.body as { taskId: string };
    const progress = jira.handle({
      actor: user('bea'),
      method: 'GET',
      path: `/rest/api/3/bulk/queue/${taskId}`,
      body: undefined,
    });
    expect(progress).toMatchObject({
      status: 200,
      body: {
        totalIssueCount: 3,
        processedAccessibleIssues: [Number(ok.id)],
        failedAccessibleIssues: { [refused.id]: ['Not this one.'] },
        invalidOrInaccessibleIssueCount: 1,
      },
    });
    expect(applied).toEqual([`${ok.key}:1->10001`]);
    expect(jira.categoryOf(jira.issueByKey(refused.key))).toBe('new');
  });
});
