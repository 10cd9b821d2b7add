import { describe, expect, it } from 'vitest';
import { FakeJira, simpleWorkflow } from './fake-jira';
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
