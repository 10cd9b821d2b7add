import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../harness/axe';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { ARTIFACTS_DIR } from '../harness/paths';
import { ensureShotsDir, goToScreen, SHOTS_DIR } from '../harness/workspace-page';

/**
 * Promoting captures in the dashboard (real Chromium, built extension): a clip captured as a goal becomes an
 * organisation goal citing it, a clip captured as an action becomes an action linking it — only once the user
 * completes and saves the form — and the inbox then shows where each went, derived from those links.
 */
let xb: ExtensionBrowser;
let page: Page;

const GOAL_CLIP = 'promote-test-goal';
const ACTION_CLIP = 'promote-test-action';
const GOAL_TEXT =
  'Cut the time customers wait for a refund to under three days, because reviewers keep telling us that waiting ' +
  'for the money is the worst part of sending an order back';
const ACTION_TEXT = 'Send an e-mail the moment a returned parcel is scanned at the warehouse';

type Linked = { id: string; title: string; evidenceIds: string[] };
const rows = <T = Record<string, unknown>>(table: string): Promise<T[]> => xb.readTable<T>(table);

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  ensureShotsDir();
  xb = await launchExtensionBrowser();
});
afterAll(async () => {
  await xb?.close();
});

const screen = (hash: string, title: string): Promise<void> => goToScreen(page, hash, title);

/** Shows only the rows matching `text` in the inbox. */
async function search(text: string): Promise<void> {
  await screen('inbox', 'Evidence inbox');
  await page.getByLabel('Search').fill(text);
  // The previous search also showed one row: wait for the row of this one.
  await expect.poll(() => page.locator('.evidence-row').count()).toBe(1);
  await expect.poll(() => page.locator('.evidence-row q').textContent()).toContain(text);
}

describe('promoting captured goals and actions', () => {
  it('stores a clip captured as a goal and one captured as an action (sample workspace + backup restore)', async () => {
    page = await xb.openExtensionPage('/dashboard.html#inbox');
    page.on('pageerror', (e) => console.error('dashboard page error:', e.message));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByRole('button', { name: 'Load the sample workspace' }).click();
    await page.getByText('Sample workspace.', { exact: false }).first().waitFor();

    await screen('data', 'Data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a backup (JSON)' }).click(),
    ]);
    const file = join(ARTIFACTS_DIR, 'promote-backup.json');
    await download.saveAs(file);
    const backup = JSON.parse(readFileSync(file, 'utf8')) as {
      workspace: { evidence: Record<string, unknown>[] };
    };
    const template = backup.workspace.evidence[0] as { origin: Record<string, unknown> };
    const clip = (id: string, text: string, intent: 'goal' | 'action'): Record<string, unknown> => ({
      id,
      text,
      sourceKind: 'customer',
      intent,
      origin: { ...template.origin, via: 'clip', capturedBy: 'Ada Quinn' },
    });
    const withClips = join(ARTIFACTS_DIR, 'promote-with-clips.json');
    writeFileSync(
      withClips,
      JSON.stringify({
        ...backup,
        workspace: {
          ...backup.workspace,
          evidence: [
            ...backup.workspace.evidence,
            clip(GOAL_CLIP, GOAL_TEXT, 'goal'),
            clip(ACTION_CLIP, ACTION_TEXT, 'action'),
          ],
        },
      }),
    );
    await page.getByLabel('Restore from a backup file').setInputFiles(withClips);
    await page.getByRole('button', { name: 'Replace the workspace' }).click();
    await page.getByText(/Restored the backup of/).waitFor();
    const stored = await rows<{ id: string; intent?: string }>('evidence');
    expect(stored.find((r) => r.id === GOAL_CLIP)?.intent).toBe('goal');
    expect(stored.find((r) => r.id === ACTION_CLIP)?.intent).toBe('action');
  });

  it('the inbox labels both captures and offers to promote them; axe stays clean', async () => {
    await search('refund to under three days');
    const row = page.locator('.evidence-row');
    expect(await row.locator('.intent .tag').textContent()).toBe('goal');
    await row.getByRole('button', { name: /^Make organisation goal: Cut the time/ }).waitFor();
    await search('returned parcel is scanned');
    expect(await row.locator('.intent .tag').textContent()).toBe('action');
    await row.getByRole('button', { name: /^Make action: Send an e-mail/ }).waitFor();
    await page.screenshot({ path: join(SHOTS_DIR, 'workspace-promote-inbox.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('"Make organisation goal" opens a pre-filled strategy form; the goal is saved citing the clip', async () => {
    const before = (await rows<Linked>('orgGoals')).length;
    await search('refund to under three days');
    await page.getByRole('button', { name: /^Make organisation goal:/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Strategy session' }).waitFor();
    const form = page.getByRole('form', { name: 'Organisation goal' });
    const title = await form.getByLabel('Goal', { exact: true }).inputValue();
    expect(title.startsWith('Cut the time customers wait for a refund')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(120);
    await expect.poll(() => form.locator('.citations li').count()).toBe(1);
    expect(await form.locator('.citations li').textContent()).toContain('refund to under three days');
    // Nothing is saved until the form is completed: without a metric the core refuses it.
    await form.getByRole('button', { name: 'Save organisation goal' }).click();
    await page.getByText('The goal was not saved').waitFor();
    expect(await rows<Linked>('orgGoals')).toHaveLength(before);

    await form.getByLabel('Goal', { exact: true }).fill('Refunds within three days');
    await form.getByLabel('Metric name').fill('Refund time');
    await form.getByLabel('Unit').fill('days');
    await form.getByLabel('Direction').selectOption('decrease');
    await form.getByLabel('Baseline').fill('9');
    await form.getByLabel('Target').fill('3');
    await form.getByLabel('Due').fill('2027-06-30');
    await form.getByRole('button', { name: 'Save organisation goal' }).click();
    await page.getByText('Saved “Refunds within three days”, citing 1 pieces of evidence.').waitFor();
    const saved = (await rows<Linked>('orgGoals')).find((g) => g.title === 'Refunds within three days');
    expect(saved?.evidenceIds).toEqual([GOAL_CLIP]);

    await search('refund to under three days');
    const row = page.locator('.evidence-row');
    await expect.poll(() => row.locator('.intent').textContent()).toBe('→ goal Refunds within three days');
    expect(await row.getByRole('button', { name: /^Make organisation goal/ }).count()).toBe(0);
  });

  it('"Make action" opens a pre-filled action form; the user picks the department goal; the action links the clip', async () => {
    const before = (await rows<Linked>('actions')).length;
    await search('returned parcel is scanned');
    await page.getByRole('button', { name: /^Make action:/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Department goals and actions' }).waitFor();
    const form = page.getByRole('form', { name: 'Action' });
    expect(await form.getByLabel('Action', { exact: true }).inputValue()).toBe(ACTION_TEXT);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('form')?.id))
      .toBe('action-form');
    await form.getByRole('group', { name: 'Linked evidence' }).getByText(ACTION_TEXT).waitFor();
    // No department goal chosen yet: the core refuses it and nothing is stored.
    await form.getByRole('button', { name: 'Save action' }).click();
    await expect
      .poll(() => form.locator('.field.invalid').first().textContent())
      .toContain('For department goal is required');
    expect(await rows<Linked>('actions')).toHaveLength(before);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await form.getByLabel('For department goal').selectOption({ label: 'Refunds within 5 working days' });
    await form.getByRole('button', { name: 'Save action' }).click();
    await page.getByText(`Saved action “${ACTION_TEXT}”.`).waitFor();
    await page.screenshot({ path: join(SHOTS_DIR, 'workspace-promote-action.png'), fullPage: true });
    const saved = (await rows<Linked & { deptGoalId: string }>('actions')).filter(
      (a) => a.title === ACTION_TEXT,
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]?.evidenceIds).toEqual([ACTION_CLIP]);
    expect(saved[0]?.deptGoalId).toBe('sample-dg-refunds');

    await search('returned parcel is scanned');
    await expect
      .poll(() => page.locator('.evidence-row .intent').textContent())
      .toBe(`→ action ${ACTION_TEXT}`);
  });
});
