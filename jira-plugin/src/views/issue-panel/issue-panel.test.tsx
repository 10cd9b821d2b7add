import { ACTION_PROPERTY, type DeptGoal, GOAL_PROPERTY } from '@cxplan/core';
import api from '@forge/api';
import type { ReactElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../../jira-client/jira-client';
import { issueResolver } from '../../resolvers/issue-resolver';
import { readEntity } from '../../team-store/plan-reads';
import { FakeJira } from '../../testing/fake-jira';
import { useFakeJira as pointForgeApiAt } from '../../testing/forge-mocks';
import { createOp, putOp, type TeamFixture, teamFixture } from '../../testing/team-fixture';
import { VERIFICATION_FLAGS_PROPERTY } from '../../workflow/goal-issue';
import { OrganisationConfigStore } from '../../workflow/organisation-config';
import {
  findAll,
  findByText,
  fire,
  installBridge,
  renderForge,
  setBridgeHost,
  textOf,
  tree,
} from '../testing/forge-render';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

installBridge();

let IssuePanel: () => ReactElement;
beforeAll(async () => {
  ({ IssuePanel } = await import('./issue-panel'));
});

const CYCLE = 'cycle-2026';
const metric = {
  name: 'First-contact resolution',
  unit: '%',
  direction: 'increase',
  baseline: 61,
  target: 75,
  due: '2026-12-31',
};
const goal = {
  id: 'goal-1',
  cycleId: CYCLE,
  departmentId: 'sales',
  title: 'Resolve more on first contact',
  orgGoalId: 'org-1',
  metric: {
    ...metric,
    readings: [
      { id: 'r1', value: 64, at: '2026-11-01T09:00:00Z', recordedAt: '2026-11-01T09:00:00Z', by: 'dan' },
    ],
  },
  verification: {
    status: 'verified',
    verifierId: 'bea',
    verifiedBy: 'bea',
    verifiedAt: '2026-11-10T12:00:00Z',
  },
  verificationHistory: [
    { type: 'submitted', by: 'sam', at: '2026-11-09T08:00:00Z', verifierId: 'bea' },
    { type: 'verified', by: 'bea', at: '2026-11-10T12:00:00Z' },
  ],
};
const action = {
  id: 'action-1',
  cycleId: CYCLE,
  deptGoalId: 'goal-1',
  title: 'Publish the runbook',
  evidenceIds: ['e2'],
  doneCriterion: 'Runbook live',
};

const evidence = (id: string, quote: string, url: string) => ({
  id,
  text: `Full page text around: ${quote}`,
  sourceKind: 'customer',
  origin: { url, title: `Review ${id}`, capturedBy: 'Sam', capturedAt: '2026-10-01T10:00:00Z', via: 'clip' },
  target: { source: url, quote: { type: 'TextQuoteSelector', exact: quote } },
});

let team: TeamFixture;
let jira: FakeJira;
let epicKey: string;
let actionKey: string;

async function setup(): Promise<void> {
  team = await teamFixture();
  jira = new FakeJira();
  pointForgeApiAt(jira, 'olga');
  const saved = await new OrganisationConfigStore(team.deps).save(
    {
      organisation: { name: 'Acme', businessObjectives: [] },
      people: [
        { id: 'bea', name: 'Bea Up-line', jiraAccountId: 'bea', role: 'manager', admin: true },
        { id: 'dan', name: 'Dan Manager', jiraAccountId: 'dan', role: 'manager' },
        { id: 'sam', name: 'Sam Submitter', jiraAccountId: 'sam', role: 'staff' },
      ],
      departments: [
        { id: 'exec', name: 'Executive', managerId: 'bea' },
        { id: 'sales', name: 'Sales', managerId: 'dan', parentId: 'exec' },
      ],
    },
    { accountId: 'bea' },
  );
  expect(saved.ok).toBe(true);
  // The issues carry only the id of what they stand for: everything the panel shows comes from the team store.
  const [epic, actionIssue] = await new JiraClient(api.asApp()).createIssues([
    {
      fields: {
        project: { key: 'CX' },
        issuetype: { id: '10000' },
        summary: 'Resolve more on first contact',
      },
      properties: [{ key: GOAL_PROPERTY, value: { v: 1, id: 'goal-1', cycleId: CYCLE } }],
    },
    {
      fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: 'Publish the runbook' },
      properties: [
        { key: ACTION_PROPERTY, value: { v: 1, id: 'action-1', cycleId: CYCLE, goalId: 'goal-1' } },
      ],
    },
  ]);
  if (!epic?.ok || !actionIssue?.ok) throw new Error('fixture issues not created');
  epicKey = epic.key;
  actionKey = actionIssue.key;
  const results = await team.push(
    'jira',
    [
      createOp('evidence', evidence('e1', 'I had to call three times', 'https://reviews.example/1')),
      createOp('evidence', evidence('e2', 'Nobody knew the answer', 'https://forum.example/t/2')),
      createOp('orgGoals', {
        id: 'org-1',
        cycleId: CYCLE,
        title: 'Answers first time',
        metric,
        evidenceIds: ['e1'],
      }),
      createOp('deptGoals', { ...goal, jira: { issueKey: epic.key, issueId: epic.id } }),
      createOp('actions', { ...action, jira: { issueKey: actionIssue.key, issueId: actionIssue.id } }),
    ],
    { system: true },
  );
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
}

let renders = 0;
function host(issueKey: string, accountId = 'olga'): void {
  let n = 0;
  const resolver = issueResolver(() => ({
    client: new JiraClient(api.asUser(accountId)),
    store: team.deps,
    now: () => new Date('2026-11-23T10:00:00Z'),
    newId: () => `reading-${++n}`,
  }));
  setBridgeHost({
    resolver: resolver.getDefinitions() as never,
    context: { extension: { issue: { key: issueKey } } },
    accountId,
  });
}

async function storedGoal(): Promise<DeptGoal> {
  return (await readEntity(team.sql, 'deptGoals', 'goal-1'))?.body as DeptGoal;
}

const listItems = (): string[] => findAll('ListItem').map((n) => textOf(n));

describe('issue panel (epics and actions), rendered through @forge/react, read from the team store', () => {
  beforeEach(setup);
  afterEach(() => team.close());

  it('shows the epic’s verification history, metric with readings, and evidence quotes with links', async () => {
    host(epicKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    expect(textOf(findAll('Lozenge')[0] ?? tree())).toBe('verified');
    expect(listItems()).toEqual([
      '2026-11-09 08:00 submitted by Sam Submitter: to be verified by Bea Up-line',
      '2026-11-10 12:00 verified by Bea Up-line',
      '2026-11-01: 64 % (Dan Manager)',
    ]);
    expect(findByText('Heading', 'Success metric: First-contact resolution')).toBeTruthy();
    expect(findByText('Text', 'Serves the organisation goal “Answers first time”.')).toBeTruthy();
    expect(findByText('Text', 'I had to call three times')).toBeTruthy();
    expect(findAll('Link').map((l) => [l.props.href, textOf(l)])).toEqual([
      ['https://reviews.example/1', 'Review e1'],
    ]);
  });

  it('adds a check-in to the metric in the team store, by the viewing user, and keeps a browser’s own reading too', async () => {
    const before = await readEntity(team.sql, 'deptGoals', 'goal-1');
    host(epicKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    const value = findAll('Textfield', (n) => n.props.name === 'checkin-value')[0];
    const note = findAll('Textfield', (n) => n.props.name === 'checkin-note')[0];
    if (!value || !note) throw new Error('no check-in form');
    await fire(value, 'onChange', { target: { value: '68' } });
    await fire(note, 'onChange', { target: { value: 'after the training' } });
    await fire(findByText('Button', 'Add check-in'), 'onClick');
    expect(listItems()).toContain('2026-11-23: 68 % (olga) — after the training');
    expect(findByText('Text', 'Latest: 68 % on 2026-11-23')).toBeTruthy();
    expect((await storedGoal()).metric?.readings.at(-1)).toMatchObject({
      value: 68,
      by: 'olga',
      note: 'after the training',
    });
    expect((await readEntity(team.sql, 'deptGoals', 'goal-1'))?.changedBy).toBe('olga');

    // Dan's browser, which had not seen Olga's check-in, pushes its own reading of the same metric: both are kept.
    const [pushed] = await team.push('dan', [
      putOp('deptGoals', 'goal-1', before?.version ?? 0, {
        'metric.readings': [
          ...(goal.metric.readings ?? []),
          {
            id: 'r-dan',
            value: 66,
            at: '2026-11-22T09:00:00Z',
            recordedAt: '2026-11-22T09:00:00Z',
            by: 'dan',
          },
        ],
      }),
    ]);
    expect(pushed?.status).toBe('applied');
    expect((await storedGoal()).metric?.readings.map((r) => [r.id, r.value])).toEqual([
      ['r1', 64],
      ['reading-1', 68],
      ['r-dan', 66],
    ]);
  });

  it('refuses a check-in from someone Jira does not let edit the issue, and stores nothing', async () => {
    jira.readOnly.add('olga');
    host(epicKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    const value = findAll('Textfield', (n) => n.props.name === 'checkin-value')[0];
    if (!value) throw new Error('no check-in form');
    await fire(value, 'onChange', { target: { value: '70' } });
    await fire(findByText('Button', 'Add check-in'), 'onClick');
    expect(textOf(findAll('SectionMessage')[0] ?? tree())).toBe(
      `Check-in not saved: Jira does not let you edit ${epicKey}, so cxplan does not take a check-in for it from you.`,
    );
    expect((await storedGoal()).metric?.readings).toHaveLength(1);
  });

  it('refuses a check-in that is not a number, saying so, and keeps the plan', async () => {
    host(epicKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    const value = findAll('Textfield', (n) => n.props.name === 'checkin-value')[0];
    if (!value) throw new Error('no check-in form');
    await fire(value, 'onChange', { target: { value: 'lots' } });
    await fire(findByText('Button', 'Add check-in'), 'onClick');
    expect(textOf(findAll('SectionMessage')[0] ?? tree())).toMatch(/^Check-in not saved: value /);
    expect((await storedGoal()).metric?.readings).toHaveLength(1);
  });

  it('shows flags of verification steps that broke the rule', async () => {
    jira.issueByKey(epicKey).properties.set(VERIFICATION_FLAGS_PROPERTY, {
      v: 1,
      flags: [
        {
          at: '2026-11-22T10:00:00Z',
          by: 'pete',
          step: 'verify',
          toStatus: 'Verified',
          code: 'not-allowed-to-verify',
          message: 'Pete moved CX-1 to "Verified", but only Bea may verify this goal',
          seenBy: 'trigger',
        },
      ],
    });
    host(epicKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    expect(findByText('SectionMessage', 'only Bea may verify this goal')).toBeTruthy();
  });

  it('shows an action’s evidence and no verification section', async () => {
    host(actionKey);
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    expect(findAll('Heading').map((h) => textOf(h))).toEqual(['Evidence']);
    expect(findByText('Text', 'Serves the department goal “Resolve more on first contact”.')).toBeTruthy();
    expect(findByText('Text', 'measured by completion')).toBeTruthy();
    expect(findAll('Link').map((l) => l.props.href)).toEqual(['https://forum.example/t/2']);
  });

  it('says so on an issue that is not part of the plan', async () => {
    const [other] = await new JiraClient(api.asApp()).createIssues([
      { fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: 'Unrelated bug' } },
    ]);
    host(other?.ok ? other.key : 'CX-404');
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    expect(textOf(tree())).toBe('This issue is not part of a cxplan plan.');
  });

  it('says so on an issue whose cxplan.goal property names a goal it is not linked to', async () => {
    const [copy] = await new JiraClient(api.asApp()).createIssues([
      {
        fields: { project: { key: 'CX' }, issuetype: { id: '10000' }, summary: 'A copy' },
        properties: [{ key: GOAL_PROPERTY, value: { v: 1, id: 'goal-1', cycleId: CYCLE } }],
      },
    ]);
    host(copy?.ok ? copy.key : 'CX-404');
    await renderForge(<IssuePanel key={`panel-${++renders}`} />);
    expect(textOf(tree())).toBe('This issue is not part of a cxplan plan.');
  });
});
