import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { readIdbTable } from './idb-table';
import { FIREFOX_BUILD, FIREFOX_PATH } from './paths';

/**
 * Firefox ESR with the built add-on installed, driven over WebDriver BiDi with puppeteer-core (issue 17). What
 * Firefox does differently from the Chromium harness (extension-browser.ts), found by trying:
 * - it opens `moz-extension://` pages only with `-remote-allow-system-access`, and even then puppeteer's
 *   `page.goto()` never sees such a page (nor an `about:` page) finish loading, so every page is opened with BiDi's
 *   own `browsingContext.navigate` (`wait: 'complete'`), which reports it; puppeteer's `page.url()` stays stale;
 * - a temporary add-on gets a random UUID, hence a random origin; the pref `extensions.webextensions.uuids` fixes it;
 * - BiDi sends no `log.entryAdded` for extension pages (nor for the background page), but with the pref
 *   `devtools.console.stdout.content` Firefox prints every console message of content and extension pages on its
 *   stdout, and uncaught errors on stderr: the harness reads both, so a test can fail on console errors;
 * - the toolbar click that grants `activeTab` is made in the browser's own chrome scope (the browser window, reached
 *   with `moz:scope: 'chrome'`), through the add-on's browser action, as a user's click on its button is.
 */

/** The UUID the add-on gets in every test profile: its pages live at `moz-extension://<this>/`. */
export const FIREFOX_EXTENSION_UUID = '5c1d0f4e-7a2b-4c3d-9e8f-0a1b2c3d4e5f';

/** The part of puppeteer's BiDi connection the harness uses for commands puppeteer does not wrap. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/** A browsing context as `browsingContext.getTree` lists it. */
interface BidiContext {
  context: string;
  url: string;
  children: BidiContext[] | null;
  'moz:name'?: string;
}

/** What `script.evaluate` answers. */
type BidiEvaluation =
  | { type: 'success'; result: { type: string; value?: unknown } }
  | { type: 'exception'; exceptionDetails: { text: string } };

/** What Firefox printed while the harness ran, and the errors among it. */
export interface ConsoleWatch {
  /** Every line Firefox printed on stdout and stderr so far. */
  lines(): readonly string[];
  /**
   * The errors of pages and of the add-on printed so far (console.error calls and uncaught errors), once Firefox
   * has printed everything logged before this call.
   */
  errors(): Promise<string[]>;
  /** Forgets the errors seen so far (after a test that made one on purpose). */
  clearErrors(): void;
}

/** Firefox with the built add-on, and the handles tests need to drive it. */
export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** `firefox/153.8.0`, as the browser reports it. */
  version: string;
  /** `moz-extension://<uuid>`: the origin of the add-on's pages. */
  origin: string;
  /** Whether the add-on opened its dashboard on install (the harness closed that tab). */
  firstRunDashboardOpened: boolean;
  /** The folder downloads are saved to. */
  downloadDir: string;
  console: ConsoleWatch;
  /**
   * Opens a URL in a new tab and waits until it has loaded (BiDi's navigate: puppeteer's `goto` never returns for
   * extension pages nor for `about:` pages).
   */
  openPage(url: string): Promise<Page>;
  /** Opens one of the add-on's pages (`/dashboard.html#inbox`) in a new tab and waits until it has loaded. */
  openExtensionPage(path: string): Promise<Page>;
  /** Loads another of the add-on's pages in a tab. */
  navigateExtensionPage(page: Page, path: string): Promise<void>;
  /** Reloads a tab and waits until it has loaded. */
  reload(page: Page): Promise<void>;
  /** The add-on's tab id for a page's tab (the page is brought to the front first). */
  tabIdOf(page: Page): Promise<number>;
  /**
   * Clicks the add-on's toolbar button while `page` is the selected tab, as a user does: the browser action's
   * popup opens (and is closed again) and `activeTab` is granted for the page until it navigates.
   */
  clickToolbarButton(page: Page): Promise<void>;
  /** Opens the add-on's sidebar (Firefox's `sidebar_action`) in the browser window, as View → Sidebar does. */
  openSidebar(): Promise<void>;
  /** A PNG of the whole browser window (toolbar, sidebar and page), taken in the chrome scope. */
  screenshotWindow(): Promise<Buffer>;
  /** Runs a function in an extension page of the add-on (it has the `browser.*` APIs) and returns its result. */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Sends a message of the documented contract from an extension page and returns the answer. */
  sendMessage<T = unknown>(type: string, data?: unknown): Promise<T>;
  /** Every row of an IndexedDB table of the add-on's database, read with the raw IndexedDB API. */
  readTable<T = Record<string, unknown>>(table: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Options of {@link launchFirefoxWithExtension}. */
export interface FirefoxLaunchOptions {
  /** The built add-on (default: this run's Firefox MV2 build). */
  extensionDir?: string;
  /** Where the browser saves downloads, without asking (default: a temporary folder, removed on close). */
  downloadDir?: string;
}

/** The line Firefox prints for an error of a page or the add-on; the browser's own scripts (chrome://, resource://) do not count. */
export function isPageError(line: string): boolean {
  // Pages print their console arguments as values (a string quoted); the browser's own modules log through named
  // console instances ("console.error: RSLoader: …", its experiment loader, which cannot reach the network here).
  if (/^console\.error: [A-Za-z][\w.-]*: /.test(line)) return false;
  if (line.startsWith('console.error: ')) return true;
  const uncaught = 'JavaScript error: ';
  return line.startsWith(uncaught) && !/^(chrome|resource):\/\//.test(line.slice(uncaught.length));
}

/** Splits a stream's chunks into lines and hands each complete one to `onLine`. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + String(chunk)).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The id puppeteer's BiDi page keeps for its tab's browsing context (not part of puppeteer's public types). */
function contextOf(page: Page): string {
  return (page.mainFrame() as unknown as { _id: string })._id;
}

/** Launches Firefox ESR, installs the built add-on as a temporary add-on with a fixed UUID, and returns handles. */
export async function launchFirefoxWithExtension(
  options: FirefoxLaunchOptions = {},
): Promise<FirefoxExtensionBrowser> {
  const extensionDir = options.extensionDir ?? FIREFOX_BUILD;
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings: { gecko: { id: string } };
  };
  const addonId = manifest.browser_specific_settings.gecko.id;
  const ownDownloads = options.downloadDir === undefined;
  const downloadDir = options.downloadDir ?? mkdtempSync(join(tmpdir(), 'cxplan-ff-downloads-'));
  const origin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    protocol: 'webDriverBiDi',
    headless: true,
    // Without it Firefox refuses to open moz-extension:// pages for a remote client and to evaluate in chrome scope.
    args: ['-remote-allow-system-access'],
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [addonId]: FIREFOX_EXTENSION_UUID }),
      // Console messages of content and extension pages on stdout (BiDi does not report them for extension
      // pages). The chrome-scope twin stays off: it prints the browser's and the remote agent's own messages.
      'devtools.console.stdout.content': true,
      // Downloads (backup, annotations) go to a known folder without a dialog or the downloads panel.
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.alwaysOpenPanel': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      // No experiment-recipe fetches (0 turns its timer off): there is no network to fetch them from.
      'app.normandy.run_interval_seconds': 0,
    },
  });

  const printed: string[] = [];
  const errors: string[] = [];
  const onLine = (line: string): void => {
    printed.push(line);
    if (isPageError(line)) errors.push(line);
  };
  const child = firefox.process();
  child?.stdout?.on('data', lineReader(onLine));
  child?.stderr?.on('data', lineReader(onLine));

  const connection = (firefox as unknown as { connection: BidiConnection }).connection;
  const bidi = async <T>(method: string, params: object): Promise<T> =>
    (await connection.send(method, params)).result as T;
  const tree = async (scope: 'content' | 'chrome' = 'content'): Promise<BidiContext[]> =>
    (
      await bidi<{ contexts: BidiContext[] }>(
        'browsingContext.getTree',
        scope === 'chrome' ? { 'moz:scope': 'chrome' } : {},
      )
    ).contexts;

  /** Evaluates an expression in the browser window's chrome scope; it must produce a JSON string. */
  const inChrome = async <T>(expression: string): Promise<T> => {
    const [window] = await tree('chrome');
    if (window === undefined) throw new Error('no browser window in the chrome scope');
    const answer = await bidi<BidiEvaluation>('script.evaluate', {
      expression,
      target: { context: window.context },
      awaitPromise: true,
    });
    if (answer.type === 'exception')
      throw new Error(`chrome-scope script failed: ${answer.exceptionDetails.text}`);
    return JSON.parse(String(answer.result.value)) as T;
  };

  /** The add-on's objects in the chrome scope, as Firefox's own parent-process code reaches them. */
  const addonInChrome = `
    const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)});
    if (!extension) throw new Error('the add-on is not installed');
    const global = ExtensionParent.apiManager.global;`;

  const navigate = async (page: Page, url: string): Promise<void> => {
    await bidi('browsingContext.navigate', { context: contextOf(page), url, wait: 'complete' });
  };

  await firefox.installExtension(extensionDir);
  const version = await firefox.version();

  // On install the add-on opens its dashboard (first run). Wait for that tab, so it cannot turn up later and become
  // the active tab in the middle of a test, and close it.
  let firstRunDashboardOpened = false;
  for (let waited = 0; waited < 15_000 && !firstRunDashboardOpened; waited += 100) {
    const firstRun = (await tree()).find((c) => c.url === `${origin}/dashboard.html`);
    if (firstRun !== undefined) {
      firstRunDashboardOpened = true;
      await bidi('browsingContext.close', { context: firstRun.context });
    } else await sleep(100);
  }

  // The extension page the harness sends messages and reads IndexedDB from (the popup page, opened as a tab).
  const helper = await firefox.newPage();
  await navigate(helper, `${origin}/popup.html`);

  let flushes = 0;
  const watch: ConsoleWatch = {
    lines: () => printed,
    async errors() {
      // Firefox's processes print asynchronously: a line logged now, from the add-on's process, and seen on
      // stdout means what the add-on logged before it has been printed too.
      const mark = `cxplan-console-flush-${++flushes}`;
      await helper.evaluate((m) => console.log(m), mark);
      for (let waited = 0; waited < 10_000 && !printed.some((l) => l.includes(mark)); waited += 50)
        await sleep(50);
      return [...errors];
    },
    clearErrors: () => void errors.splice(0),
  };

  const api: FirefoxExtensionBrowser = {
    browser: firefox,
    version,
    origin,
    firstRunDashboardOpened,
    downloadDir,
    console: watch,
    async openPage(url) {
      const page = await firefox.newPage();
      await navigate(page, url);
      return page;
    },
    async openExtensionPage(path) {
      return api.openPage(`${origin}${path}`);
    },
    async navigateExtensionPage(page, path) {
      await navigate(page, `${origin}${path}`);
    },
    async reload(page) {
      await bidi('browsingContext.reload', { context: contextOf(page), wait: 'complete' });
    },
    async tabIdOf(page) {
      await page.bringToFront();
      const id = await helper.evaluate(async () => {
        const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
        return tab?.id;
      });
      if (typeof id !== 'number') throw new Error('no active tab');
      return id;
    },
    async clickToolbarButton(page) {
      await page.bringToFront();
      const expected = await page.evaluate(() => location.href);
      const clicked = await inChrome<{ url: string; popup: boolean }>(`(async () => {
        ${addonInChrome}
        const { ViewPopup } = ChromeUtils.importESModule('resource:///modules/ExtensionPopups.sys.mjs');
        // What a click on the toolbar button runs (ext-browserAction.js): activeTab for the selected tab, and the
        // popup, since the add-on has one.
        global.browserActionFor(extension).triggerAction(window);
        let popup;
        for (let i = 0; i < 200 && !(popup = ViewPopup.for(extension, window)); i++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        // The user closes the popup again; the grant stays until the tab navigates.
        popup?.closePopup();
        return JSON.stringify({ url: gBrowser.selectedBrowser.currentURI.spec, popup: popup !== undefined });
      })()`);
      if (clicked.url !== expected)
        throw new Error(`the toolbar click went to ${clicked.url}, not ${expected}`);
      if (!clicked.popup) throw new Error('the toolbar click opened no popup');
    },
    async openSidebar() {
      await inChrome<null>(`(() => {
        ${addonInChrome}
        global.sidebarActionFor(extension).open(window);
        return 'null';
      })()`);
    },
    async screenshotWindow() {
      // BiDi's captureScreenshot refuses chrome-scope contexts; the window global's own snapshot paints the whole
      // window, the remote pages and the sidebar included.
      const dataUrl = await inChrome<string>(`(async () => {
        const bitmap = await window.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, 'white');
        const canvas = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        canvas.getContext('2d').drawImage(bitmap, 0, 0);
        return JSON.stringify(canvas.toDataURL('image/png'));
      })()`);
      return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    },
    inExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
      // puppeteer types the argument as it arrives in the page (handles unwrapped); plain data arrives as it is.
      return helper.evaluate(fn as (arg: unknown) => T | Promise<T>, arg) as Promise<T>;
    },
    async sendMessage<T>(type: string, data?: unknown) {
      const answer = await helper.evaluate(
        (type, data) => browser.runtime.sendMessage({ id: Date.now(), type, data, timestamp: Date.now() }),
        type,
        data,
      );
      const { res, err } = (answer ?? {}) as { res?: T; err?: { message?: string } };
      if (err !== undefined) throw new Error(`message ${type} failed: ${err.message ?? JSON.stringify(err)}`);
      return res as T;
    },
    async readTable<T>(table: string) {
      return helper.evaluate(readIdbTable, table) as Promise<T[]>;
    },
    async close() {
      await firefox.close();
      if (ownDownloads) rmSync(downloadDir, { recursive: true, force: true });
    },
  };
  return api;
}

/** `browser.*` in the add-on's pages: Firefox's promise-based WebExtension API, typed as Chrome's. */
declare global {
  var browser: typeof chrome;
}
