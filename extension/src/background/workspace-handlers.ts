import type { browser as wxtBrowser } from 'wxt/browser';

/** The full-page planning workspace (an unlisted extension page). */
export const DASHBOARD_PATH = '/dashboard.html';

/**
 * Background wiring of the planning workspace (issue 5): on first install, the dashboard opens so an empty
 * workspace can explain the first step; in Chrome the toolbar button keeps opening the popup (the side panel is
 * opened from the browser's side-panel menu).
 */
export function registerWorkspaceHandlers(browser: Pick<typeof wxtBrowser, 'runtime' | 'tabs'>): void {
  browser.runtime.onInstalled.addListener((details) => {
    if (details.reason !== 'install') return;
    void browser.tabs.create({ url: browser.runtime.getURL(DASHBOARD_PATH) });
  });
}
