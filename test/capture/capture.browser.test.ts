import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { htmlPage, type PageServer, startPageServer } from '../harness/page-server';
import { selectText } from '../harness/select-text';

interface StoredClip {
  id: string;
  text: string;
  sourceKind: string;
  intent: string;
  sentiment?: number;
  stageId?: string;
  drivers: string[];
  taggedAt?: string;
  origin: { url: string; title: string; capturedBy: string; capturedAt: string };
  target: {
    source: string;
    frameUrl?: string;
    quote: { type: string; exact: string; prefix: string; suffix: string };
    position: { type: string; start: number; end: number };
  };
}

const REVIEW = htmlPage(
  'Acme reviews',
  '<h1>Reviews</h1><p id="r1">Great support team. But <b>the checkout kept timing out</b> on my phone, twice.</p>' +
    '<p id="r2">Delivery was quick.</p>',
);

let xb: ExtensionBrowser;
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer({ '/review': REVIEW });
  xb = await launchExtensionBrowser();
});
afterAll(async () => {
  await xb?.close();
  await server?.close();
});

describe('capture via the documented message', () => {
  it('stores the selection with W3C selectors, a clean URL, title and time, then tags it in the panel', async () => {
    const page = await xb.openPage(server.url('/review?utm_source=newsletter&id=7'));
    await selectText(page, '#r1', 'checkout kept timing out');
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const outcome = await xb.sendMessage<{ ok: boolean; evidence: StoredClip }>('captureSelection', {
      tabId,
    });
    expect(outcome.ok).toBe(true);

    const [row] = await xb.readTable<StoredClip>('evidence');
    expect(row).toMatchObject({
      text: 'checkout kept timing out',
      sourceKind: 'customer',
      intent: 'feedback',
      origin: { url: server.url('/review?id=7'), title: 'Acme reviews' },
      target: {
        source: server.url('/review?id=7'),
        quote: { type: 'TextQuoteSelector', exact: 'checkout kept timing out' },
        position: { type: 'TextPositionSelector' },
      },
    });
    expect(row?.target.quote.prefix.endsWith('Great support team. But the ')).toBe(true);
    expect(row?.target.quote.suffix.startsWith(' on my phone')).toBe(true);
    const pageText = await page.evaluate(() => document.body.textContent ?? '');
    expect(pageText.slice(row?.target.position.start, row?.target.position.end)).toBe(
      'checkout kept timing out',
    );
    expect(Date.now() - Date.parse(row?.origin.capturedAt ?? '')).toBeLessThan(60_000);

    // A browser used alone keeps the clip and has nothing waiting to send (no team to send it to).
    expect(await xb.readTable('syncOps')).toEqual([]);

    // The tag panel opens in the page; two-key choices: p (partner), 1 (sentiment −2), s then 4 (Use & Support).
    const panel = page.locator('cxplan-tag-panel [role="dialog"]');
    await panel.waitFor();
    await expect.poll(() => panel.evaluate((el) => el.matches(':focus'))).toBe(true);
    for (const key of ['p', '1', 's', '4', 'd', '3']) await page.keyboard.press(key);
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    const [tagged] = await xb.readTable<StoredClip>('evidence');
    expect(tagged).toMatchObject({
      sourceKind: 'partner',
      sentiment: -2,
      stageId: 'stage-use-support',
      drivers: ['pain'],
    });
    expect(tagged?.taggedAt).toBeDefined();
    await page.close();
  });

  it('remembers the last choices for the next clip, and Escape keeps a clip untagged', async () => {
    const page = await xb.openPage(server.url('/review'));
    await selectText(page, '#r2', 'Delivery was quick');
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const outcome = await xb.sendMessage<{ ok: boolean; evidence: StoredClip }>('captureSelection', {
      tabId,
    });
    expect(outcome.ok).toBe(true);
    // The new clip starts from the remembered source kind.
    expect(outcome.evidence.sourceKind).toBe('partner');
    const panel = page.locator('cxplan-tag-panel [role="dialog"]');
    await panel.waitFor();
    await expect(
      panel.locator('button[aria-pressed="true"]', { hasText: 'Use & Support' }).count(),
    ).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    const rows = await xb.readTable<StoredClip>('evidence');
    const clip = rows.find((r) => r.id === outcome.evidence.id);
    expect(clip?.taggedAt).toBeUndefined();
    expect(clip?.text).toBe('Delivery was quick');
    await page.close();
  });

  it('answers with a clear message when there is no selection or no user gesture', async () => {
    const page = await xb.openPage(server.url('/review'));
    const tabId = await xb.tabIdOf(page);
    const denied = await xb.sendMessage<{ ok: boolean; code: string; message: string }>('captureSelection', {
      tabId,
    });
    expect(denied).toMatchObject({ ok: false, code: 'no-access' });
    expect(denied.message).toMatch(/right-click menu/);
    await xb.clickToolbarButton(page);
    const none = await xb.sendMessage<{ ok: boolean; code: string; message: string }>('captureSelection', {
      tabId,
    });
    expect(none).toMatchObject({
      ok: false,
      code: 'no-selection',
      message: 'Select some text on the page first, then clip it.',
    });
    const bad = await xb.sendMessage<{ ok: boolean; code: string; message: string }>('captureSelection', {
      tabId: 'x',
    });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(bad.message).toMatch(/tabId must be a tab id/);
    await page.close();
  });

  it('refuses browser pages with an explanation', async () => {
    const page = await xb.openPage('chrome://version/');
    const tabId = await xb.tabIdOf(page);
    const outcome = await xb.sendMessage<{ ok: boolean; code: string; message: string }>('captureSelection', {
      tabId,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'restricted-page' });
    expect(outcome.message).toMatch(/browser pages, extension stores, the built-in PDF viewer/);
    await page.close();
  });
});
