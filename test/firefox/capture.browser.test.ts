import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FirefoxExtensionBrowser,
  isPageError,
  launchFirefoxWithExtension,
} from '../harness/firefox-browser';
import { clickButton, countOf, screenshot, selectOnPage, waitForText } from '../harness/firefox-page';
import { htmlPage, type PageServer, startPageServer } from '../harness/page-server';
import { ensureShotsDir } from '../harness/workspace-page';

/**
 * Capture in Firefox ESR with the built add-on (issue 17): the documented `captureSelection` message after the
 * toolbar click that grants `activeTab`, the in-page tag panel driven by the keyboard, the popup finding a clip
 * again with the CSS Custom Highlight API, and Firefox's privileged pages. The steps share one browser and build on
 * each other; the last checks that nothing the add-on ran printed a console error.
 */

interface StoredClip {
  id: string;
  text: string;
  sourceKind: string;
  intent: string;
  sentiment?: number;
  stageId?: string;
  drivers: string[];
  taggedAt?: string;
  origin: { url: string; title: string; capturedAt: string };
  target: {
    source: string;
    quote: { type: string; exact: string; prefix: string; suffix: string };
    position: { type: string; start: number; end: number };
  };
}

interface Answer {
  ok: boolean;
  code?: string;
  message?: string;
  evidence?: StoredClip;
}

const QUOTE = 'the checkout kept timing out';
// The spacer puts the quote below the fold, so finding it again has to scroll.
const REVIEW = htmlPage(
  'Acme reviews',
  `<h1>Reviews</h1><p id="r1">Great support team. But <b>${QUOTE}</b> on my phone, twice.</p>` +
    '<div style="height:3000px"></div><p id="r2">Delivery was quick.</p>',
);
const PANEL = 'cxplan-tag-panel >>> [role="dialog"]';

let xb: FirefoxExtensionBrowser;
let server: PageServer;
let review: Page;
let tabId: number;

beforeAll(async () => {
  ensureShotsDir();
  server = await startPageServer({ '/review': REVIEW });
  xb = await launchFirefoxWithExtension();
});
afterAll(async () => {
  await xb?.close();
  await server?.close();
});

/** The text the page's highlight registry holds for the clip highlight. */
function highlighted(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cxplan-clip');
    return h ? [...h].map((r) => r.toString()).join('') : null;
  });
}

describe('capture in Firefox', () => {
  it('given a page whose toolbar button was not clicked, when the documented message asks for its selection, then it answers no-access and stores nothing', async () => {
    review = await xb.openPage(server.url('/review?utm_source=newsletter&id=7'));
    await selectOnPage(review, '#r1', QUOTE);
    tabId = await xb.tabIdOf(review);
    const denied = await xb.sendMessage<Answer>('captureSelection', { tabId });
    expect(denied).toMatchObject({ ok: false, code: 'no-access' });
    expect(denied.message).toMatch(/right-click menu/);
    expect(await xb.readTable('evidence')).toEqual([]);
  });

  it('given the toolbar click (activeTab), when the message asks again, then the selection is stored with W3C selectors, a clean URL and the title', async () => {
    await xb.clickToolbarButton(review);
    const outcome = await xb.sendMessage<Answer>('captureSelection', { tabId });
    expect(outcome.ok).toBe(true);
    const [row] = await xb.readTable<StoredClip>('evidence');
    expect(row).toMatchObject({
      id: outcome.evidence?.id,
      text: QUOTE,
      sourceKind: 'customer',
      intent: 'feedback',
      origin: { url: server.url('/review?id=7'), title: 'Acme reviews' },
      target: {
        source: server.url('/review?id=7'),
        quote: { type: 'TextQuoteSelector', exact: QUOTE },
        position: { type: 'TextPositionSelector' },
      },
    });
    expect(row?.target.quote.prefix.endsWith('Great support team. But ')).toBe(true);
    expect(row?.target.quote.suffix.startsWith(' on my phone')).toBe(true);
    const pageText = await review.evaluate(() => document.body.textContent ?? '');
    expect(pageText.slice(row?.target.position.start, row?.target.position.end)).toBe(QUOTE);
    expect(Date.now() - Date.parse(row?.origin.capturedAt ?? '')).toBeLessThan(60_000);
  });

  it('given the clip, when the tag panel opens in the page with focus, then two-key choices tag it and Enter saves', async () => {
    const panel = await review.waitForSelector(PANEL);
    await expect.poll(() => panel?.evaluate((el) => el.matches(':focus'))).toBe(true);
    await screenshot(review, 'tag-panel');
    // p (partner), 1 (sentiment −2), s then 4 (Use & Support), d then 3 (pain).
    for (const key of ['p', '1', 's', '4', 'd', '3'] as const) await review.keyboard.press(key);
    await review.keyboard.press('Enter');
    await review.waitForSelector(PANEL, { hidden: true });
    const [tagged] = await xb.readTable<StoredClip>('evidence');
    expect(tagged).toMatchObject({
      sourceKind: 'partner',
      sentiment: -2,
      stageId: 'stage-use-support',
      drivers: ['pain'],
    });
    expect(tagged?.taggedAt).toBeTypeOf('string');
  });

  it('given the popup page of that tab, when the clip is chosen, then the page scrolls to it and highlights it', async () => {
    await review.evaluate(() => window.scrollTo(0, 3000));
    expect(await review.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    const popup = await xb.openExtensionPage(`/popup.html?tabId=${tabId}`);
    await popup.waitForSelector(`.clips button::-p-text(${QUOTE})`);
    expect(await popup.$eval('.clips button .tags', (el) => el.textContent)).toContain('partner');
    await popup.locator(`.clips button::-p-text(${QUOTE})`).click();
    await waitForText(popup, 'Highlighted on the page.');
    expect(await highlighted(review)).toBe(QUOTE);
    expect(await review.evaluate(() => window.scrollY)).toBeLessThan(1000);
    await popup.close();
  });

  it('given the popup page with nothing selected, when Clip selection is pressed, then it says to select text first', async () => {
    await review.evaluate(() => getSelection()?.removeAllRanges());
    const popup = await xb.openExtensionPage(`/popup.html?tabId=${tabId}`);
    await clickButton(popup, 'Clip selection');
    await waitForText(popup, 'Select some text on the page first, then clip it.');
    expect(await countOf(popup, '.clips li')).toBe(1);
    await popup.close();
  });

  it('given a Firefox page no add-on may read, when asked to capture, then it says so before and after the toolbar click', async () => {
    const about = await xb.openPage('about:robots');
    const aboutTab = await xb.tabIdOf(about);
    // Firefox hides the URL until the click grants activeTab, and answers for the page with a null frame.
    const before = await xb.sendMessage<Answer>('captureSelection', { tabId: aboutTab });
    expect(before).toMatchObject({ ok: false, code: 'no-access' });
    await xb.clickToolbarButton(about);
    const after = await xb.sendMessage<Answer>('captureSelection', { tabId: aboutTab });
    expect(after).toMatchObject({ ok: false, code: 'restricted-page' });
    expect(after.message).toMatch(/browser pages, extension stores, the built-in PDF viewer/);
    await about.close();
  });

  it('printed no console error in any page or in the background page meanwhile', async () => {
    expect(await xb.console.errors()).toEqual([]);
  });
});

describe('the console watch', () => {
  it('given lines Firefox prints for pages and for itself, when they are classified, then only the pages’ errors count', () => {
    expect(isPageError('console.error: "cxplan: the workspace could not be read" ({})')).toBe(true);
    expect(isPageError('console.error: (new Error("boom", "moz-extension://x/chunks/a.js", 1))')).toBe(true);
    expect(isPageError('JavaScript error: moz-extension://x/options.html, line 1: Error: boom')).toBe(true);
    expect(isPageError('console.warn: "cxplan: team sync failed; changes stay waiting"')).toBe(false);
    expect(isPageError('console.error: RSLoader: ')).toBe(false);
    expect(
      isPageError(
        'JavaScript error: chrome://remote/content/shared/NavigationManager.sys.mjs, line 382: TypeError',
      ),
    ).toBe(false);
    expect(
      isPageError('JavaScript error: resource://gre/modules/PrivateBrowsingUtils.sys.mjs, line 50: x'),
    ).toBe(false);
  });

  it('given an error logged in an extension page and one thrown in the background page, when errors are collected, then both are reported', async () => {
    await xb.inExtension(async () => {
      console.error('cxplan-test: an error on purpose');
      const background = (await browser.runtime.getBackgroundPage()) as Window | null;
      background?.setTimeout(() => {
        throw new Error('cxplan-test: thrown on purpose');
      });
    });
    await expect
      .poll(() => xb.console.errors())
      .toEqual([
        expect.stringContaining('cxplan-test: an error on purpose'),
        expect.stringContaining('cxplan-test: thrown on purpose'),
      ]);
    xb.console.clearErrors();
  });
});
