import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../harness/axe';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { htmlPage, type PageServer, startPageServer } from '../harness/page-server';
import { selectText } from '../harness/select-text';

const QUOTE = 'the invoice listed a fee nobody had mentioned';
// The spacer puts the quote below the fold, so finding it has to scroll.
const ARTICLE = `<article id="a"><p>Forum thread, page 2.</p><div style="height:3000px"></div><p>Honestly ${QUOTE} before we signed.</p><p>Support fixed it.</p></article>`;

let xb: ExtensionBrowser;
let server: PageServer;
let body = ARTICLE;

beforeAll(async () => {
  server = await startPageServer({ '/thread': () => htmlPage('Billing thread', body) });
  xb = await launchExtensionBrowser();
});
afterAll(async () => {
  await xb?.close();
  await server?.close();
});

/** What the page's highlight registry holds for the clip highlight (the registry is per document). */
function highlighted(page: import('playwright-core').Page): Promise<string | null> {
  return page.evaluate(() => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cxplan-clip');
    if (!h) return null;
    return [...h].map((r) => r.toString()).join('');
  });
}

describe('popup', () => {
  it('clips with the button, lists the clip, and finds it again after reloads and page changes', async () => {
    const page = await xb.openPage(server.url('/thread'));
    await selectText(page, '#a', QUOTE);
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);

    const popup = await xb.openExtensionPage(`/popup.html?tabId=${tabId}`);
    await expect.poll(() => popup.getByText('No clips from this page yet').count()).toBe(1);
    await popup.getByRole('button', { name: 'Clip selection' }).click();
    await popup.getByRole('status').getByText('Clip saved').waitFor();
    const item = popup.locator('.clips button', { hasText: QUOTE });
    await item.waitFor();
    expect(await item.locator('.tags').textContent()).toContain('untagged');
    // Captured locally: a browser used alone keeps its clips (nothing to wait for, nothing wrong).
    expect(await item.locator('.sync').textContent()).toBe('Kept in this browser');
    const rows = await xb.readTable<{ text: string }>('evidence');
    expect(rows.map((r) => r.text)).toEqual([QUOTE]);
    expect(await seriousAxeViolations(popup)).toEqual([]);
    // The tag panel the capture opened in the page (an open shadow root) passes too.
    await page.locator('cxplan-tag-panel [role="dialog"]').waitFor();
    expect(await seriousAxeViolations(page, 'cxplan-tag-panel')).toEqual([]);

    // Reload: the page is the same, the stored position still holds.
    await page.reload();
    await xb.clickToolbarButton(page);
    await popup.reload();
    await page.evaluate(() => window.scrollTo(0, 0));
    await popup.locator('.clips button', { hasText: QUOTE }).click();
    await popup.getByRole('status').getByText('Highlighted on the page.').waitFor();
    expect(await highlighted(page)).toBe(QUOTE);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);

    // The page changed above the quote: found again by quote and context.
    await page.evaluate(() => window.scrollTo(0, 0));
    body = `<div class="banner">Site notice: new pricing from March.</div>${ARTICLE}`;
    await page.reload();
    await xb.clickToolbarButton(page);
    const moved = await xb.sendMessage<{ ok: boolean; by: string; text: string }>('locateClip', {
      tabId,
      evidenceId: (await xb.readTable<{ id: string }>('evidence'))[0]?.id,
    });
    expect(moved).toEqual({ ok: true, by: 'quote', text: QUOTE });
    expect(await highlighted(page)).toBe(QUOTE);

    // The quote is gone: the popup says so.
    body = '<article id="a"><p>This thread was edited.</p></article>';
    await page.reload();
    await xb.clickToolbarButton(page);
    await popup.reload();
    await popup.locator('.clips button', { hasText: QUOTE }).click();
    await popup
      .getByRole('status')
      .getByText('Could not find this quote any more: the page has changed since it was clipped.')
      .waitFor();
    await popup.close();
    await page.close();
  });

  it('shows why a capture failed when there is nothing selected', async () => {
    body = ARTICLE;
    const page = await xb.openPage(server.url('/thread'));
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const popup = await xb.openExtensionPage(`/popup.html?tabId=${tabId}`);
    await popup.getByRole('button', { name: 'Clip selection' }).click();
    await popup.getByRole('status').getByText('Select some text on the page first, then clip it.').waitFor();
    await popup.close();
    await page.close();
  });

  it('links to the planning dashboard, which opens in a tab of its own', async () => {
    const popup = await xb.openExtensionPage('/popup.html');
    const [dashboard] = await Promise.all([
      popup.context().waitForEvent('page'),
      popup.getByRole('link', { name: 'Open dashboard' }).click(),
    ]);
    await dashboard.waitForLoadState('domcontentloaded');
    expect(new URL(dashboard.url()).pathname).toBe('/dashboard.html');
    await dashboard.close();
    await popup.close();
  });
});
