import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { countExtensionScripts } from '../harness/injected-scripts';
import { htmlPage, type PageServer, startPageServer } from '../harness/page-server';
import { ARTIFACTS_DIR, REPO_ROOT } from '../harness/paths';
import { selectText } from '../harness/select-text';

const PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const escaped = PAYLOAD.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

let xb: ExtensionBrowser;
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer({
    '/xss': htmlPage('Hostile review', `<p id="x">Customer wrote: <b>${escaped}</b> and left.</p>`),
    '/framed': htmlPage('Outer page', '<p>Outer text.</p><iframe id="f" src="/frame"></iframe>'),
    '/frame': htmlPage('Inner', '<p id="inner">The app crashes when I upload a photo.</p>'),
    '/plain': htmlPage('Plain', '<p id="p">Nothing to see here, just a page I visit.</p>'),
  });
  xb = await launchExtensionBrowser();
});
afterAll(async () => {
  await xb?.close();
  await server?.close();
});

describe('hostile and unusual pages', () => {
  it('stores markup in a selection as text and shows it as text; nothing executes', async () => {
    const page = await xb.openPage(server.url('/xss'));
    await selectText(page, '#x', `wrote: ${PAYLOAD} and`);
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const outcome = await xb.sendMessage<{ ok: boolean }>('captureSelection', { tabId });
    expect(outcome.ok).toBe(true);
    const [row] = await xb.readTable<{ text: string }>('evidence');
    expect(row?.text).toBe(`wrote: ${PAYLOAD} and`);

    const quote = page.locator('cxplan-tag-panel [data-testid="clip-text"]');
    await quote.waitFor();
    expect(await quote.textContent()).toBe(`wrote: ${PAYLOAD} and`);
    expect(await page.locator('cxplan-tag-panel img').count()).toBe(0);
    await page.keyboard.press('Escape');

    const popup = await xb.openExtensionPage(`/popup.html?tabId=${tabId}`);
    const item = popup.locator('.clips .text');
    await item.waitFor();
    expect(await item.textContent()).toBe(`wrote: ${PAYLOAD} and`);
    expect(await popup.locator('.clips img').count()).toBe(0);
    // The flag would be set by the onerror handler in whichever document rendered the markup as HTML.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await popup.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await popup.close();
    await page.close();
  });

  it('captures a selection inside a same-origin frame and records the frame URL', async () => {
    const page = await xb.openPage(server.url('/framed'));
    const frame = page.frames().find((f) => f.url().endsWith('/frame'));
    if (!frame) throw new Error('frame not loaded');
    await selectText(frame, '#inner', 'crashes when I upload a photo');
    await frame.focus('#inner').catch(() => undefined);
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const outcome = await xb.sendMessage<{
      ok: boolean;
      evidence: { target: { source: string; frameUrl?: string } };
    }>('captureSelection', { tabId, openPanel: false });
    expect(outcome).toMatchObject({
      ok: true,
      evidence: { target: { source: server.url('/framed'), frameUrl: server.url('/frame') } },
    });
    await page.close();
  });

  it('explains a selection inside an embedded frame from another site instead of saying nothing is selected', async () => {
    // localhost and 127.0.0.1 are different origins: the frame is foreign to the page activeTab was granted for.
    server.set(
      '/widget-host',
      htmlPage(
        'Host',
        `<p>Host page.</p><iframe src="http://localhost:${new URL(server.origin).port}/frame"></iframe>`,
      ),
    );
    const page = await xb.openPage(server.url('/widget-host'));
    const frame = page.frames().find((f) => f.url().startsWith('http://localhost'));
    if (!frame) throw new Error('frame not loaded');
    await selectText(frame, '#inner', 'crashes when I upload a photo');
    await frame.evaluate(() => window.focus());
    await xb.clickToolbarButton(page);
    const outcome = await xb.sendMessage<{ ok: boolean; code: string; message: string }>('captureSelection', {
      tabId: await xb.tabIdOf(page),
    });
    expect(outcome).toMatchObject({ ok: false, code: 'restricted-page' });
    expect(outcome.message).toMatch(/inside a frame from another site/);
    await page.close();
  });

  it('injects nothing into a page that is merely visited, and only the panel after a capture', async () => {
    const page = await xb.context.newPage();
    const counter = await countExtensionScripts(page, xb.extensionId);
    await page.goto(server.url('/plain'));
    await page.waitForTimeout(500);
    expect(await counter.snapshot()).toEqual({ contexts: 0, scripts: 0, bytes: 0 });
    await selectText(page, '#p', 'just a page I visit');
    await xb.clickToolbarButton(page);
    await xb.sendMessage('captureSelection', { tabId: await xb.tabIdOf(page) });
    await page.locator('cxplan-tag-panel [role="dialog"]').waitFor();
    const after = await counter.snapshot();
    expect(after.contexts).toBeGreaterThan(0);
    expect(after.bytes).toBeGreaterThan(0);
    await page.close();
  });

  it('exports the stored clips as W3C Web Annotations that pass the W3C test suite', async () => {
    const exported = await xb.sendMessage<{ annotations: unknown[]; skipped: unknown[] }>(
      'exportAnnotations',
    );
    expect(exported.annotations.length).toBeGreaterThanOrEqual(3);
    expect(exported.skipped).toEqual([]);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = join(ARTIFACTS_DIR, 'clips.annotations.json');
    writeFileSync(file, JSON.stringify(exported.annotations, null, 2));
    const validator = join(REPO_ROOT, '..', 'shared', 'w3c-annotation', 'validate.mjs');
    const out = execFileSync('node', [validator, '--quiet', file], { encoding: 'utf8' });
    // validate.mjs exits non-zero (execFileSync throws) on any MUST failure; also check it saw every annotation.
    expect(out).toContain(`annotations: ${exported.annotations.length} valid, 0 invalid`);
  });
});
