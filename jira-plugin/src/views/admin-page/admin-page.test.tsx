import { WORKFLOW_MODULE_KEYS } from '@cxplan/core';
import api from '@forge/api';
import type { ReactElement } from 'react';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readIngestSecret } from '../../ingest/ingest-secret';
import { MemoryKvs } from '../../ingest/testing/memory-kvs';
import { JiraClient } from '../../jira-client';
import { adminResolver } from '../../resolvers/admin-resolver';
import { FakeJira, type FakeWorkflow } from '../../testing/fake-jira';
import { useFakeJira as pointForgeApiAt } from '../../testing/forge-mocks';
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
    validators: [K.verifierValidator],
    postFunctions: [K.verdictPostFunction],
  },
  '31': {
    conditions: [K.condition],
    validators: [K.verifierValidator, K.rejectReasonValidator],
    postFunctions: [K.verdictPostFunction],
  },
};

/** What `webTrigger.getUrl` gives on a site (its value is opaque to the app). */
const TRIGGER_URL = 'https://0a1b2c3d.hello.atlassian-dev.net/x1/ingest-trigger-id';

let store: MemoryKvs;
let AdminPage: () => ReactElement;

beforeAll(async () => {
  ({ AdminPage } = await import('./admin-page'));
});

function host(rules: Record<string, TransitionRules>): void {
  store = new MemoryKvs();
  const jira = new FakeJira({ workflows: { '10000': goalWorkflow } });
  pointForgeApiAt(jira, 'admin');
  new WorkflowEnforcement(jira, { modules: {}, postFunctions: {}, rules, users: {} });
  const resolver = adminResolver(() => ({
    config: new OrganisationConfigStore(store),
    secrets: {
      status: async () => (await import('../../ingest/ingest-secret')).ingestSecretStatus(store),
      generate: async () => (await import('../../ingest/ingest-secret')).generateIngestSecret(store),
      rotate: async () => (await import('../../ingest/ingest-secret')).rotateIngestSecret(store),
      triggerUrl: async () => TRIGGER_URL,
    },
    checkWorkflow: (target) => checkGoalWorkflow(new JiraClient(api.asUser('admin')), target),
  }));
  setBridgeHost({ resolver: resolver.getDefinitions() as never, context: {}, accountId: 'admin' });
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

describe('admin page (rendered through @forge/react, resolver calls through the real @forge/resolver)', () => {
  beforeEach(() => host(FULL_RULES));

  it('configures departments with Jira users and shows who verifies each', async () => {
    await renderForge(<AdminPage />);
    const empty = findAll('DynamicTable')[0];
    expect(empty && findAll('Row', () => true, empty)).toEqual([]);
    await addDepartment('Executive', { id: 'bea', name: 'Bea Up-line' });
    await addDepartment('Sales', { id: 'dan', name: 'Dan Manager' }, 'executive');
    await fire(findByText('Button', 'Save settings'), 'onClick');

    expect(findByText('SectionMessage', 'Saved.')).toBeTruthy();
    const saved = await new OrganisationConfigStore(store).read();
    expect(saved.departments).toEqual([
      { id: 'executive', name: 'Executive', managerId: 'bea' },
      { id: 'sales', name: 'Sales', managerId: 'dan', parentId: 'executive' },
    ]);
    expect(saved.people.map((p) => [p.id, p.name, p.jiraAccountId])).toEqual([
      ['bea', 'Bea Up-line', 'bea'],
      ['dan', 'Dan Manager', 'dan'],
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
    await renderForge(<AdminPage />);
    const resolver = (await import('../../resolvers/admin-resolver')).adminResolver(() => ({
      config: new OrganisationConfigStore(store),
      secrets: {
        status: async () => ({ configured: false }),
        generate: async () => Promise.reject(new Error('x')),
        rotate: async () => Promise.reject(new Error('x')),
        triggerUrl: async () => Promise.reject(new Error('x')),
      },
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
      {},
    )) as { ok: boolean; message: string };
    expect(answer).toMatchObject({
      ok: false,
      message: 'Not saved: departments.0.managerId names a person "ghost" who is not in the people list',
    });
    expect(await store.get('cxplan-organisation-config')).toBeUndefined();
  });

  it('checks the configured workflow through the Jira REST API and says what is missing', async () => {
    await renderForge(<AdminPage />);
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
    await new OrganisationConfigStore(store).save({
      organisation: { name: 'A', businessObjectives: [] },
      people: [],
      departments: [],
      jira: { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' },
    });
    await renderForge(<AdminPage />);
    await fire(findByText('Button', 'Check the verification workflow'), 'onClick');
    const missing = findAll('Inline', (n) => textOf(n).startsWith('missing')).map((n) =>
      textOf(n).slice('missing'.length),
    );
    expect(missing).toEqual([
      'Add the cxplan post function "cxplan-submit-post-function" to the transition "Submit for verification"',
      'Add the cxplan condition "cxplan-verifier-condition" to the transition "Verify"',
      'Add the cxplan post function "cxplan-verdict-post-function" to the transition "Verify"',
      'Add the cxplan condition "cxplan-verifier-condition" to the transition "Reject"',
      'Add the cxplan validator "cxplan-verifier-validator" to the transition "Reject"',
      'Add the cxplan validator "cxplan-reject-reason-validator" to the transition "Reject"',
      'Add the cxplan post function "cxplan-verdict-post-function" to the transition "Reject"',
    ]);
  });

  it('adds planning cycles; a bad date is refused naming the field and nothing is stored', async () => {
    await renderForge(<AdminPage />);
    await type('cycle-name', 'H2 2026');
    await type('cycle-start', '2026-07-01');
    await type('cycle-end', '2026-31-12');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    expect(textOf(findAll('SectionMessage')[0] ?? tree())).toMatch(/^Not saved: cycles\.0\.end /);
    expect(await store.get('cxplan-organisation-config')).toBeUndefined();

    await renderForge(<AdminPage />);
    await type('cycle-name', 'H2 2026');
    await type('cycle-start', '2026-07-01');
    await type('cycle-end', '2026-12-31');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await type('cycle-name', 'H1 2027');
    await type('cycle-start', '2027-01-01');
    await type('cycle-end', '2027-06-30');
    await fire(findByText('Button', 'Add cycle'), 'onClick');
    await fire(findByText('Button', 'Save settings'), 'onClick');
    const saved = await new OrganisationConfigStore(store).read();
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

  it('generates the ingest secret, shows it once, and rotates it', async () => {
    await renderForge(<AdminPage />);
    expect(findByText('Text', 'No secret yet')).toBeTruthy();
    await fire(findByText('Button', 'Generate secret'), 'onClick');
    expect(textOf(findAll('Code')[0] ?? tree())).toBe(TRIGGER_URL);
    const first = textOf(findAll('Code')[1] ?? tree());
    expect(first).toBe((await readIngestSecret(store))?.token);
    expect(
      findAll('SectionMessage', (n) => String(n.props.title).includes('shown only this once')),
    ).toHaveLength(1);

    // Opening the page again never shows it: only its id and age.
    await renderForge(<AdminPage />);
    expect(findAll('Code').map((c) => textOf(c))).toEqual([TRIGGER_URL]);
    const status = findByText('Text', 'in use since');
    expect(textOf(status)).toContain((await readIngestSecret(store))?.keyId);

    await fire(findByText('Button', 'Rotate secret'), 'onClick');
    const second = textOf(findAll('Code')[1] ?? tree());
    expect(second).not.toBe(first);
    expect(second).toBe((await readIngestSecret(store))?.token);
    expect(invocations.map((i) => i.functionKey)).toEqual([
      'getAdminState',
      'generateSecret',
      'getAdminState',
      'rotateSecret',
    ]);
  });
});
