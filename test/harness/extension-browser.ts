import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from 'playwright-core';
import { readIdbTable } from './idb-table';
import { CHROME_BUILD, CHROMIUM_PATH } from './paths';

/** The flags the real-browser tests launch Debian Chromium with (see DEVELOPERS.md / test/README). */
export function chromiumArgs(extensionDir: string): string[] {
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Lets CDP's Extensions.triggerAction click the toolbar button (needs the pipe transport Playwright uses).
    '--enable-unsafe-extension-debugging',
    // Without --disable-extensions-except the unpacked extension is not loaded.
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ];
}

/** Chromium with the built extension loaded, and the handles tests need to drive it. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** Whether the extension opened its dashboard on install (the harness closed that tab; see launch). */
  firstRunDashboardOpened: boolean;
  worker: Worker;
  cdp: CDPSession;
  /** Opens a URL in a new tab and waits for it to load. */
  openPage(url: string): Promise<Page>;
  /** The extension's id for a page's tab (the page is brought to the front first). */
  tabIdOf(page: Page): Promise<number>;
  /**
   * Clicks the extension's toolbar button for this page (CDP `Extensions.triggerAction`): the same user gesture as
   * a real click, which grants `activeTab` for the page until it navigates.
   */
  clickToolbarButton(page: Page): Promise<void>;
  /** Opens an extension page (e.g. `/popup.html?tabId=3`) in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** Sends a message of the documented contract from an extension page and returns the answer. */
  sendMessage<T = unknown>(type: string, data?: unknown): Promise<T>;
  /** Every row of an IndexedDB table of the extension's database, read with the raw IndexedDB API. */
  readTable<T = Record<string, unknown>>(table: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Launches Chromium with the extension built at `extensionDir` (default: the Chrome MV3 build). */
export async function launchExtensionBrowser(extensionDir: string = CHROME_BUILD): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cxplan-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(extensionDir),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  // On install the extension opens its dashboard (first run). Under load that tab can appear seconds later and
  // become the active tab in the middle of a test that asks for the active tab, so wait for it and close it.
  let firstRunDashboardOpened = false;
  for (let waited = 0; waited < 15_000; waited += 100) {
    const firstRun = context.pages().find((p) => p.url().endsWith('/dashboard.html'));
    if (firstRun !== undefined) {
      firstRunDashboardOpened = true;
      await firstRun.close();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const browser = context.browser();
  if (browser === null) throw new Error('no browser handle for the persistent context');
  const cdp = await browser.newBrowserCDPSession();
  let helper: Page | undefined;

  const helperPage = async (): Promise<Page> => {
    if (helper === undefined || helper.isClosed()) {
      helper = await context.newPage();
      await helper.goto(`chrome-extension://${extensionId}/popup.html`);
    }
    return helper;
  };

  const api: ExtensionBrowser = {
    context,
    extensionId,
    firstRunDashboardOpened,
    worker,
    cdp,
    async openPage(url) {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    async tabIdOf(page) {
      await page.bringToFront();
      const id = await worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        return tab?.id;
      });
      if (typeof id !== 'number') throw new Error('no active tab');
      return id;
    },
    async clickToolbarButton(page) {
      await page.bringToFront();
      const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
      const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
      if (tab === undefined) throw new Error(`no tab target for ${page.url()}`);
      await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
    },
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}${path}`);
      return page;
    },
    async sendMessage<T>(type: string, data?: unknown) {
      const page = await helperPage();
      const answer = await page.evaluate(
        ({ type, data }) => chrome.runtime.sendMessage({ id: Date.now(), type, data, timestamp: Date.now() }),
        { type, data },
      );
      const { res, err } = (answer ?? {}) as { res?: T; err?: { message?: string } };
      if (err !== undefined) throw new Error(`message ${type} failed: ${err.message ?? JSON.stringify(err)}`);
      return res as T;
    },
    async readTable<T>(table: string) {
      const page = await helperPage();
      return page.evaluate(readIdbTable<T>, table) as Promise<T[]>;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return api;
}
