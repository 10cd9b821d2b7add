import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../harness/axe';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { ensureShotsDir, goToScreen, SHOTS_DIR } from '../harness/workspace-page';

/**
 * Home (issue 16): the dashboard opens on what needs the person now, with the navigation grouped by the process and
 * its counts; each item links to where it is handled. Real Chromium, the built extension, the sample workspace.
 */
let xb: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  ensureShotsDir();
  xb = await launchExtensionBrowser();
  page = await xb.openExtensionPage('/dashboard.html');
  page.on('pageerror', (e) => console.error('dashboard page error:', e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Load the sample workspace' }).click();
  await page.getByText('Sample workspace.', { exact: false }).first().waitFor();
});
afterAll(async () => {
  await xb?.close();
});

const nav = () => page.getByRole('navigation', { name: 'Workspace screens' });

describe('home', () => {
  it('given the sample workspace and nobody chosen, when the dashboard opens, then Home lists everything open', async () => {
    await page.getByRole('heading', { level: 1, name: 'Home', exact: true }).waitFor();
    const needs = page.getByRole('region', { name: 'Needs attention now' });
    // The sample's goal submitted 20 days ago to Maria Ortega, past the 14 days the workspace allows.
    await expect
      .poll(() => needs.getByRole('listitem').filter({ hasText: 'To verify' }).textContent())
      .toMatch(/Agents see live delivery status.*Sara Lind \(sample\).*20 days ago — overdue/);
    // The plan checks run once the evidence is read: their critical findings appear, each with its fix link.
    await expect.poll(() => needs.getByRole('link', { name: 'Fix this' }).count()).toBeGreaterThan(0);
    await needs.getByRole('link', { name: /clips? to tag/ }).waitFor();
    const glance = page.getByRole('region', { name: 'Goals at a glance' });
    expect(await glance.getByRole('progressbar').count()).toBe(2);
    await expect.poll(() => glance.textContent()).toMatch(/\d+ at risk/);
    await page.screenshot({ path: join(SHOTS_DIR, 'home-1280.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('groups the navigation by the process and reads its counts out with their meaning', async () => {
    const groups = await nav().locator('.nav-group-title').allTextContents();
    expect(groups).toEqual(['Listen', 'Prioritise', 'Plan', 'Track', 'Set up']);
    await nav().getByRole('link', { name: 'Evidence inbox (3 to tag)' }).waitFor();
    await nav()
      .getByRole('link', { name: 'Department goals and actions (1 waiting for verification)' })
      .waitFor();
    await expect
      .poll(() =>
        nav()
          .getByRole('link', { name: /^Plan checks \(\d+ critical\)$/ })
          .count(),
      )
      .toBe(1);
  });

  it('given Maria Ortega chosen, then the goal waiting for her leads, and its link opens it on the goals screen', async () => {
    await page.getByLabel('Acting as').selectOption({ label: 'Maria Ortega (sample) (executive)' });
    await page.getByText('What needs', { exact: false }).first().waitFor();
    expect(await page.locator('.home-lead').textContent()).toContain('Maria Ortega (sample)');
    const needs = page.getByRole('region', { name: 'Needs you now' });
    await needs.getByRole('link', { name: 'Agents see live delivery status' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Department goals and actions', exact: true })
      .waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#goals\/sample-dg-/);
  });

  it('given Tom, who waits on nobody and owns nothing late, then his list has only the plan-wide items', async () => {
    await goToScreen(page, 'home', 'Home');
    await page.getByLabel('Acting as').selectOption({ label: 'Tom Becker (sample) (staff)' });
    const needs = page.getByRole('region', { name: 'Needs you now' });
    await expect.poll(() => needs.getByRole('listitem').filter({ hasText: 'To verify' }).count()).toBe(0);
    // Nothing is waiting for Tom's verification, so the navigation counts none for him either.
    await expect
      .poll(() => nav().getByRole('link', { name: 'Department goals and actions', exact: true }).count())
      .toBe(1);
  });
});
