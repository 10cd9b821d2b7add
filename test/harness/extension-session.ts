import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from 'playwright-core';
import { chromiumArgs } from './extension-browser';
import { CHROME_BUILD, CHROMIUM_PATH } from './paths';

/**
 * Chromium with the built extension on a profile that outlives one launch, so a test can quit the browser with
 * work queued and start it again (the harness's launcher makes a fresh profile per launch). Same flags.
 */
export interface ExtensionSession {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Captures the selection of `page` through the documented `captureSelection` message (after a toolbar click). */
  capture(page: Page): Promise<{ ok: boolean; evidence?: { id: string }; message?: string }>;
  /** Allows the extension on `origin` the way chrome://extensions → Site access → "Add a site" does. */
  allowSite(pattern: string): Promise<void>;
  /** Closes the browser, keeping the profile. */
  quit(): Promise<void>;
}

/** A profile directory for {@link launchSession}; remove it with {@link removeProfile}. */
export function newProfile(): string {
  return mkdtempSync(join(tmpdir(), 'cxplan-ingest-profile-'));
}

/** Deletes a profile directory. */
export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Launches Chromium with the built extension on `profile`. */
export async function launchSession(profile: string): Promise<ExtensionSession> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // CXPLAN_CHROME_BUILD points at another build of the extension (e.g. one built from a patched checkout).
    args: chromiumArgs(process.env.CXPLAN_CHROME_BUILD ?? CHROME_BUILD),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const browser = context.browser();
  if (!browser) throw new Error('no browser handle');
  const cdp: CDPSession = await browser.newBrowserCDPSession();

  return {
    context,
    worker,
    extensionId,
    async capture(page) {
      await page.bringToFront();
      const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] });
      const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
      if (!tab) throw new Error(`no tab target for ${page.url()}`);
      await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
      const tabId = await worker.evaluate(async () => {
        const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        return active?.id;
      });
      // The popup opened by the toolbar click is an extension page: it sends the documented message.
      const sender = await context.newPage();
      await sender.goto(`chrome-extension://${extensionId}/options.html`);
      const answer = (await sender.evaluate(
        (tabId) =>
          chrome.runtime.sendMessage({
            id: Date.now(),
            type: 'captureSelection',
            data: { tabId, openPanel: false },
            timestamp: Date.now(),
          }),
        tabId,
      )) as { res?: { ok: boolean; evidence?: { id: string }; message?: string }; err?: { message: string } };
      await sender.close();
      if (answer.err) throw new Error(answer.err.message);
      return answer.res ?? { ok: false, message: 'no answer' };
    },
    async allowSite(pattern) {
      const page = await context.newPage();
      await page.goto('chrome://extensions');
      await page.evaluate(
        ({ id, pattern }) =>
          (
            chrome as unknown as {
              developerPrivate: { addHostPermission(id: string, host: string): Promise<void> };
            }
          ).developerPrivate.addHostPermission(id, pattern),
        { id: extensionId, pattern },
      );
      await page.close();
    },
    async quit() {
      await context.close();
    },
  };
}
