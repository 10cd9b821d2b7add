import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, emptyWorkspace, parseOrThrow, type Workspace, WorkspaceSchema } from '@cxplan/core';
import api from '@forge/api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleClip } from '../../extension/src/storage/test-fixtures';
import { planIngestSink } from '../../jira-plugin/src/ingest/plan-ingest';
import { JiraClient } from '../../jira-plugin/src/jira-client';
import { PlanStore } from '../../jira-plugin/src/plan-store';
import type { RunSyncDeps } from '../../jira-plugin/src/run-sync';
import { type FakeIssue, FakeJira } from '../../jira-plugin/src/testing/fake-jira';
import { kvsOverMap, useFakeJira } from '../../jira-plugin/src/testing/forge-mocks';
import { ARTIFACTS_DIR, FIREFOX_BUILD } from '../harness/paths';
import { type ExtensionSession, launchSession, newProfile, removeProfile } from './extension-session';
import { type IngestServer, startIngestServer } from './ingest-server';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../../jira-plugin/src/testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

/**
 * The plan goes to Jira from the extension itself: department goals and actions saved in the built extension
 * (here by restoring a backup on the dashboard's Data screen, which writes through the storage service like every
 * other screen) are queued by the storage service and sent by the outbox's signed batch sender to the REAL ingest
 * handler, whose plan sink runs the real sync against the fake Jira: the goal becomes an epic, its actions child
 * issues. Re-saving the same plan sends nothing; a server outage delays the plan but loses nothing.
 */

const CYCLE = 'cycle-2026';
const GOAL = 'dg-first-contact';
const EPIC_TYPE = '10000';
const TASK_TYPE = '10001';
const metric = {
  name: 'First-contact resolution',
  unit: '%',
  direction: 'increase',
  baseline: 61,
  target: 75,
  due: '2026-12-31',
};

let ingest: IngestServer;
let jira: FakeJira;
let profile: string;
let xb: ExtensionSession;
let dashboard: Page;
const POLL = { timeout: 90_000, interval: 250 };

/** A workspace with one department goal and `actions` actions under it (plus what they reference). */
function workspace(goalTitle: string, actions: number): Workspace {
  const clip = sampleClip(1);
  // Parsed with the core's schema: defaults filled in, and a broken fixture fails here, not in the browser.
  return parseOrThrow(WorkspaceSchema, {
    ...emptyWorkspace('Acme'),
    evidence: [clip],
    cycles: [{ id: CYCLE, name: 'FY 2026', start: '2026-01-01', end: '2026-12-31', status: 'active' }],
    departments: [{ id: 'dept-support', name: 'Support' }],
    orgGoals: [{ id: 'org-1', cycleId: CYCLE, title: 'Answers first time', metric, evidenceIds: [clip.id] }],
    deptGoals: [
      {
        id: GOAL,
        cycleId: CYCLE,
        departmentId: 'dept-support',
        orgGoalId: 'org-1',
        title: goalTitle,
        metric: { ...metric, name: 'FCR support' },
        verification: { status: 'draft' },
        verificationHistory: [],
      },
    ],
    actions: Array.from({ length: actions }, (_, i) => ({
      id: `act-${i + 1}`,
      cycleId: CYCLE,
      deptGoalId: GOAL,
      title: `Action ${i + 1}: publish the runbook`,
      doneCriterion: 'Runbook published and team trained',
      due: '2026-10-31',
      component: 'process',
    })),
  });
}

/** Restores a backup of `ws` on the dashboard's Data screen (asks first, then replaces the workspace). */
async function restore(ws: Workspace, name: string): Promise<void> {
  const file = join(ARTIFACTS_DIR, `plan-${name}.json`);
  writeFileSync(file, JSON.stringify(createBackup(ws, new Date())));
  await dashboard.getByLabel('Restore from a backup file').setInputFiles(file);
  await dashboard.getByRole('alertdialog', { name: 'Replace the whole workspace?' }).waitFor();
  await dashboard.getByRole('button', { name: 'Replace the workspace' }).click();
  await dashboard.getByText(/Restored the backup of/).waitFor();
}

const issues = (type: string): FakeIssue[] => [...jira.issues.values()].filter((i) => i.issueTypeId === type);

/** Ingest requests that carried a goal or an action. */
const planRequests = (): number =>
  ingest.log.filter((l) => l.clientIds.some((id) => id === GOAL || id.startsWith('act-'))).length;

/** The outbox rows about goals and actions, read from the extension's IndexedDB. */
async function planOutbox(): Promise<Array<{ status: string; operation: { kind: string } }>> {
  const rows = (await dashboard.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('cxplan');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  )) as Array<{ status: string; operation: { kind: string } }>;
  return rows.filter((r) => r.operation.kind !== 'evidence.create' && r.operation.kind !== 'evidence.update');
}

/** Sends a message of the contract from an extension page, as the dashboard or a power user would. */
async function message<T>(type: string): Promise<T> {
  const answer = (await dashboard.evaluate(
    (type) => chrome.runtime.sendMessage({ id: Date.now(), type, timestamp: Date.now() }),
    type,
  )) as { res?: T; err?: { message: string } };
  if (answer.err) throw new Error(answer.err.message);
  return answer.res as T;
}

interface PlanState {
  ok: true;
  counts: Record<'local' | 'pending' | 'sending' | 'sent' | 'failed', number>;
  lastError?: string;
  deptGoals: Record<string, { state: string; jiraKey?: string }>;
  actions: Record<string, { state: string; jiraKey?: string }>;
  queued?: number;
  retried?: number;
}

beforeAll(async () => {
  jira = new FakeJira();
  useFakeJira(jira);
  const planKvs = kvsOverMap();
  const makeDeps = (): RunSyncDeps => ({
    client: new JiraClient(api.asApp()),
    plans: new PlanStore(planKvs.kvs),
    kvs: planKvs.kvs,
    readTarget: async () => ({
      organisation: { name: 'Acme', businessObjectives: [] },
      departments: [{ id: 'dept-support', name: 'Support' }],
      jira: { projectKey: 'CX', epicIssueTypeId: EPIC_TYPE, actionIssueTypeId: TASK_TYPE },
    }),
    now: () => new Date(),
  });
  ingest = await startIngestServer({ plan: planIngestSink(makeDeps) });
  profile = newProfile();
  xb = await launchSession(profile);

  // Pair through the options page (the site is allowed the way Site access → "Add a site" does).
  await xb.allowSite('http://127.0.0.1/*');
  const options = await xb.context.newPage();
  await options.goto(`chrome-extension://${xb.extensionId}/options.html`);
  await options.fill('#trigger-url', ingest.url);
  await options.fill('#secret', ingest.secret.secret);
  await options.click('#pair');
  await options.locator('#pairing-status[data-paired="ok"]').waitFor({ timeout: 30_000 });
  await options.close();

  dashboard = await xb.context.newPage();
  dashboard.on('pageerror', (e) => console.error('dashboard page error:', e.message));
  await dashboard.goto(`chrome-extension://${xb.extensionId}/dashboard.html#data`);
  await dashboard.getByRole('heading', { level: 1, name: 'Data', exact: true }).waitFor();
});

afterAll(async () => {
  await xb?.quit();
  if (profile) removeProfile(profile);
  await ingest?.close();
});

describe('the plan from the extension to Jira', () => {
  it('a department goal and its actions saved in the extension become an epic and child issues', async () => {
    await restore(workspace('Resolve more on first contact', 2), 'v1');
    // No button, no message: the storage service queued them and the background noticed.
    await expect.poll(() => issues(TASK_TYPE).length, POLL).toBe(2);
    const [epic] = issues(EPIC_TYPE);
    expect(issues(EPIC_TYPE)).toHaveLength(1);
    expect(epic?.summary).toContain('Resolve more on first contact');
    expect(issues(TASK_TYPE).map((i) => i.parentKey)).toEqual([epic?.key, epic?.key]);

    await expect.poll(async () => (await message<PlanState>('getPlanSyncState')).counts.sent, POLL).toBe(3);
    const state = await message<PlanState>('getPlanSyncState');
    expect(state.counts).toEqual({ local: 0, pending: 0, sending: 0, sent: 3, failed: 0 });
    expect(state.deptGoals[GOAL]).toMatchObject({ state: 'synced', jiraKey: epic?.key });
    expect(new Set(Object.values(state.actions).map((a) => a.jiraKey))).toEqual(
      new Set(issues(TASK_TYPE).map((i) => i.key)),
    );
  });

  it('saving the same plan again sends nothing new', async () => {
    const requests = planRequests();
    const rows = (await planOutbox()).length;
    await restore(workspace('Resolve more on first contact', 2), 'v1-again');
    expect((await planOutbox()).length).toBe(rows); // nothing queued
    const sent = await message<PlanState>('sendPlanToJira');
    expect(sent).toMatchObject({ queued: 0, retried: 0 });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(planRequests()).toBe(requests);
    expect(issues(EPIC_TYPE)).toHaveLength(1);
    expect(issues(TASK_TYPE)).toHaveLength(2);
  });

  it('a server outage delays the plan, shows why on the options page, and loses nothing', async () => {
    ingest.setOffline(true);
    const drops = ingest.log.filter((l) => l.injected === 'drop').length;
    await restore(workspace('Resolve more on first contact, in one call', 3), 'v2');
    await expect
      .poll(() => ingest.log.filter((l) => l.injected === 'drop').length, POLL)
      .toBeGreaterThan(drops);

    const options = await xb.context.newPage();
    await options.goto(`chrome-extension://${xb.extensionId}/options.html`);
    await expect
      .poll(() => options.locator('#plan-last-error').textContent(), POLL)
      .toContain('Jira could not be reached');
    expect(Number(await options.locator('dd[data-count="pending"]').textContent())).toBe(2);
    expect(Number(await options.locator('dd[data-count="sent"]').textContent())).toBe(2);
    expect(issues(TASK_TYPE)).toHaveLength(2);

    ingest.setOffline(false);
    await options.click('#send-plan'); // cut the backoff short
    await expect.poll(() => options.locator('#plan-notice').textContent(), POLL).toContain('sending now');
    await expect.poll(() => issues(TASK_TYPE).length, POLL).toBe(3);
    await expect
      .poll(() => issues(EPIC_TYPE)[0]?.summary, POLL)
      .toContain('Resolve more on first contact, in one call');
    await expect.poll(() => options.locator('dd[data-count="sent"]').textContent(), POLL).toBe('4');
    expect(await options.locator('#plan-last-error').count()).toBe(0);
    const epic = issues(EPIC_TYPE);
    expect(epic).toHaveLength(1);
    expect(issues(TASK_TYPE).every((i) => i.parentKey === epic[0]?.key)).toBe(true);
    await options.close();
  });

  it('the Firefox build declares what paired installs transmit, as optional data collection', () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_BUILD, 'manifest.json'), 'utf8')) as {
      browser_specific_settings: { gecko: { data_collection_permissions: unknown } };
    };
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions).toEqual({
      required: ['none'],
      optional: ['websiteContent', 'browsingActivity', 'personallyIdentifyingInfo'],
    });
  });
});
