import { WORKFLOW_MODULE_KEYS } from '@cxplan/core';
import api from '@forge/api';
import type { ReactElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../../jira-client/jira-client';
import { adminResolver } from '../../resolvers/admin-resolver';
import { readOrganisation } from '../../team-store/plan-reads';
import { FakeJira, type FakeWorkflow } from '../../testing/fake-jira';
import { useFakeJira as pointForgeApiAt } from '../../testing/forge-mocks';
import { type TeamFixture, teamFixture } from '../../testing/team-fixture';
import { type TransitionRules, WorkflowEnforcement } from '../../testing/workflow-enforcement';
import { OrganisationConfigStore } from '../../workflow/organisation-config';
import { checkGoalWorkflow } from '../../workflow/workflow-reader';
import {
  findAll,
  findByText,
  fire,
  installBridge,
  invocations,
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

const goalWorkflow: FakeWorkflow = {
  statuses: [
    { id: '100', name: 'Draft', category: 'new' },
    { id: '101', name: 'Submitted', category: 'indeterminate' },
    { id: '102', name: 'Verified', category: 'done' },
    { id: '103', name: 'Rejected', category: 'indeterminate' },
  ],
  initialStatusId: '100',
  transitions: [
    { id: '11', name: 'Submit for verification', from: ['100', '103'], to: '101' },
    { id: '21', name: 'Verify', from: ['101'], to: '102' },
    { id: '31', name: 'Reject', from: ['101'], to: '103' },
  ],
};
const K = WORKFLOW_MODULE_KEYS;
const FULL_RULES: Record<string, TransitionRules> = {
  '11': { postFunctions: [K.submitPostFunction] },
  '21': {
    conditions: [K.condition],
    validators: [K.verifierValidator, K.verifierIdentity],
    postFunctions: [K.verdictPostFunction],
  },
  '31': {
    conditions: [K.condition],
    validators: [K.verifierValidator, K.verifierIdentity, K.rejectReasonValidator],
    postFunctions: [K.verdictPostFunction],
  },
};

let team: TeamFixture;
let AdminPage: () => ReactElement;
let renders = 0;

beforeAll(async () => {
  ({ AdminPage } = await import('./admin-page'));
});

/** The admin page's resolver, as Forge runs it for the signed-in account `accountId` (an Atlassian account id). */
function host(rules: Record<string, TransitionRules>, accountId = 'ada'): void {
  const jira = new FakeJira({ workflows: { '10000': goalWorkflow }, users: { ada: 'Ada Admin' } });
  pointForgeApiAt(jira, accountId);
  new WorkflowEnforcement(jira, { modules: {}, postFunctions: {}, rules, users: {} });
  const resolver = adminResolver(() => ({
    config: new OrganisationConfigStore(team.deps),
    whoAmI: async (id) => {
      const me = await new JiraClient(api.asUser(id)).getMyself();
      return { accountId: id, displayName: me.displayName };
    },
    checkWorkflow: (target) => checkGoalWorkflow(new JiraClient(api.asUser(accountId)), target),
  }));
  setBridgeHost({ resolver: resolver.getDefinitions() as never, context: { accountId }, accountId });
}

const field = (type: string, name: string) => {
  const node = findAll(type, (n) => n.props.name === name)[0];
  if (!node) throw new Error(`no ${type} named ${name}`);
  return node;
};
const type = (name: string, value: string) =>
  fire(field('Textfield', name), 'onChange', { target: { value } });

async function addDepartment(
  name: string,
  manager: { id: string; name: string },
  parentId?: string,
): Promise<void> {
  await type('dept-name', name);
  if (parentId) await fire(field('Select', 'dept-parent'), 'onChange', { label: parentId, value: parentId });
  await fire(field('UserPicker', 'dept-manager'), 'onChange', manager);
  await fire(findByText('Button', 'Add department'), 'onClick');
}

describe('admin page (rendered through @forge/react, resolver calls through the real @forge/resolver, the team store on MariaDB)', () => {
  beforeEach(async () => {
    team = await teamFixture();
    host(FULL_RULES);
  });
  afterEach(() => team.close());

  it('configures departments with Jira users and shows who verifies each', async () => {
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    const empty = findAll('DynamicTable')[0];
    expect(empty && findAll('Row', () => true, empty)).toEqual([]);
    await addDepartment('Executive', { id: 'bea', name: 'Bea Up-line' });
    await addDepartment('Sales', { id: 'dan', name: 'Dan Manager' }, 'executive');
    await fire(findByText('Button', 'Save settings'), 'onClick');

    expect(findByText('SectionMessage', 'Saved.')).toBeTruthy();
    const saved = await new OrganisationConfigStore(team.deps).read();
    expect(saved.departments).toEqual([
      { id: 'executive', name: 'Executive', managerId: 'bea' },
      { id: 'sales', name: 'Sales', managerId: 'dan', parentId: 'executive' },
    ]);
    // The person saving the very first time (Ada, a Jira admin) becomes the team workspace's first admin.
    expect(saved.people.map((p) => [p.id, p.name, p.jiraAccountId, p.admin === true])).toEqual([
      ['ada', 'Ada Admin', 'ada', true],
      ['bea', 'Bea Up-line', 'bea', false],
      ['dan', 'Dan Manager', 'dan', false],
    ]);
    // In the team store, so every paired browser receives it: written by Ada.
    const stored = await readOrganisation(team.sql);
    expect(stored.departments.map((d) => [d.id, d.changedBy])).toEqual([
      ['executive', 'ada'],
      ['sales', 'ada'],
    ]);
    const table = findAll('DynamicTable')[0];
    if (!table) throw new Error('no table');
    // Rows are reconciled into Row/Cell children; the up-line text comes from the core's resolution rule.
    const rows = findAll('Row', () => true, table).map((row) =>
      findAll('Cell', () => true, row).map((cell) => textOf(cell)),
    );
    expect(rows).toEqual([
      [
        'Executive',
        '',
        'Executive has no up-line manager: set one, or give it a parent department with a manager',
        'Remove Executive',
      ],
      ['Sales', '', 'Bea Up-line (manager of Executive)', 'Remove Sales'],
    ]);
    expect(findAll('User', () => true, table).map((u) => u.props.accountId)).toEqual(['bea', 'dan']);
  });

  it('refuses to save a department whose manager is unknown, naming the field', async () => {
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    const resolver = (await import('../../resolvers/admin-resolver')).adminResolver(() => ({
      config: new OrganisationConfigStore(team.deps),
      whoAmI: async (accountId) => ({ accountId }),
      checkWorkflow: async () => Promise.reject(new Error('x')),
    }));
    const answer = (await resolver.getDefinitions()(
      {
        call: {
          functionKey: 'saveOrganisation',
          payload: {
            config: {
              organisation: { name: 'A', businessObjectives: [] },
              people: [],
              departments: [{ id: 'd', name: 'D', managerId: 'ghost' }],
            },
          },
        },
        context: {},
      },
      { principal: { accountId: 'ada' } },
    )) as { ok: boolean; message: string };
    expect(answer).toMatchObject({
      ok: false,
      message: 'Not saved: departments.0.managerId names a person "ghost" who is not in the people list',
    });
    expect(await readOrganisation(team.sql)).toMatchObject({ departments: [], people: [] });
  });

  it('checks the configured workflow through the Jira REST API and says what is missing', async () => {
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    await fire(findByText('Button', 'Check the verification workflow'), 'onClick');
    expect(findByText('SectionMessage', 'Choose the Jira project')).toBeTruthy();

    await type('jira-project', 'cx');
    await type('jira-epic', '10000');
    await type('jira-action', '10001');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    await fire(findByText('Button', 'Check the verification workflow'), 'onClick');
    expect(findByText('Text', 'is set up for verification')).toBeTruthy();
    expect(findAll('Lozenge', (n) => textOf(n) === 'missing')).toEqual([]);
    expect(findAll('Lozenge', (n) => textOf(n) === 'ok').length).toBeGreaterThan(8);
  });

  it('lists what is missing when the admin forgot rules', async () => {
    host({ '11': {}, '21': { validators: [K.verifierValidator] }, '31': {} });
    await new OrganisationConfigStore(team.deps).save(
      {
        organisation: { name: 'A', businessObjectives: [] },
        people: [],
        departments: [],
        jira: { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' },
      },
      { accountId: 'ada', displayName: 'Ada Admin' },
    );
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    await fire(findByText('Button', 'Check the verification workflow'), 'onClick');
    const missing = findAll('Inline', (n) => textOf(n).startsWith('missing')).map((n) =>
      textOf(n).slice('missing'.length),
    );
    expect(missing).toEqual([
      'Add the cxplan post function "cxplan-submit-post-function" to the transition "Submit for verification"',
      'Add the cxplan condition "cxplan-verifier-condition" to the transition "Verify"',
      'Add the cxplan validator "cxplan-verifier-identity" to the transition "Verify"',
      'Add the cxplan post function "cxplan-verdict-post-function" to the transition "Verify"',
      'Add the cxplan condition "cxplan-verifier-condition" to the transition "Reject"',
      'Add the cxplan validator "cxplan-verifier-validator" to the transition "Reject"',
      'Add the cxplan validator "cxplan-verifier-identity" to the transition "Reject"',
      'Add the cxplan validator "cxplan-reject-reason-validator" to the transition "Reject"',
      'Add the cxplan post function "cxplan-verdict-post-function" to the transition "Reject"',
    ]);
  });

  it('adds planning cycles; a bad date is refused naming the field and nothing is stored', async () => {
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    await type('cycle-name', 'H2 2026');
    await type('cycle-start', '2026-07-01');
    await type('cycle-end', '2026-31-12');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    expect(textOf(findAll('SectionMessage', (n) => textOf(n).startsWith('Not saved'))[0] ?? tree())).toMatch(
      /^Not saved: cycles\.0\.end /,
    );
    expect((await readOrganisation(team.sql)).cycles).toEqual([]);

    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    await type('cycle-name', 'H2 2026');
    await type('cycle-start', '2026-07-01');
    await type('cycle-end', '2026-12-31');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await type('cycle-name', 'H1 2027');
    await type('cycle-start', '2027-01-01');
    await type('cycle-end', '2027-06-30');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    const saved = await new OrganisationConfigStore(team.deps).read();
    expect(saved.cycles).toEqual([
      { id: 'cycle-h2-2026', name: 'H2 2026', start: '2026-07-01', end: '2026-12-31', status: 'closed' },
      {
        id: 'cycle-h1-2027',
        name: 'H1 2027',
        start: '2027-01-01',
        end: '2027-06-30',
        status: 'active',
        previousCycleId: 'cycle-h2-2026',
      },
    ]);
  });

  it('lets an admin mark people as admins, refuses to remove the last admin, and says where browsers connect', async () => {
    await renderForge(<AdminPage key={`admin-${++renders}`} />);
    expect(findByText('SectionMessage', 'you become its first admin')).toBeTruthy();
    expect(findByText('Text', 'Apps → cxplan - connect a browser')).toBeTruthy();
    expect(findAll('Code')).toEqual([]); // no secret, no web trigger URL any more
    await fire(field('UserPicker', 'person-picker'), 'onChange', { id: 'bea', name: 'Bea Up-line' });
    await fire(findByText('Button', 'Add person'), 'onClick');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    expect(findByText('SectionMessage', 'Saved.')).toBeTruthy();
    let people = (await new OrganisationConfigStore(team.deps).read()).people;
    expect(people.map((p) => [p.id, p.admin === true])).toEqual([
      ['ada', true],
      ['bea', false],
    ]);

    // Ada makes Bea an admin and gives her a leader's role.
    await fire(findByText('Checkbox', '', findAll('Row', (r) => textOf(r).includes('Bea'))[0]), 'onChange');
    await fire(field('Select', 'role-bea'), 'onChange', { label: 'Executive (leader)', value: 'executive' });
    await fire(findByText('Button', 'Save settings'), 'onClick');
    people = (await new OrganisationConfigStore(team.deps).read()).people;
    expect(people.map((p) => [p.id, p.role, p.admin === true])).toEqual([
      ['ada', 'manager', true],
      ['bea', 'executive', true],
    ]);

    // Taking both admin marks off is refused, naming the rule; the store keeps both admins.
    for (const who of ['Ada', 'Bea'])
      await fire(findByText('Checkbox', '', findAll('Row', (r) => textOf(r).includes(who))[0]), 'onChange');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    expect(textOf(findAll('SectionMessage', (n) => textOf(n).startsWith('Not saved'))[0] ?? tree())).toBe(
      'Not saved: people must keep at least one admin of the team workspace (mark someone as admin before removing the last one)',
    );
    people = (await new OrganisationConfigStore(team.deps).read()).people;
    expect(people.filter((p) => p.admin === true).map((p) => p.id)).toEqual(['ada', 'bea']);
    expect(invocations.map((i) => i.functionKey)).toEqual([
      'getAdminState',
      'saveOrganisation',
      'saveOrganisation',
      'saveOrganisation',
    ]);
  });
});
