import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { CaptureStatusBoard } from '../src/background/capture-status';
import { registerMessageHandlers, runCapture } from '../src/background/message-handlers';
import { TagPanelLauncher } from '../src/background/tag-panel-launcher';
import { registerWorkspaceHandlers } from '../src/background/workspace-handlers';
import { readCapturePrefs } from '../src/settings/capture-prefs';
import { CxplanDb } from '../src/storage/db';
import { keepStoragePersistent } from '../src/storage/persistent-storage';
import { StorageService } from '../src/storage/storage-service';
import { dataConsentGranted } from '../src/team-sync/data-consent';
import type { ReplicaDeps } from '../src/team-sync/replica';
import { startTeamSync, transportFor } from '../src/team-sync/sync-scheduler';

/** Context-menu entries on a selection, and what each captures the selection as. */
const MENU = [
  { id: 'cxplan-clip-feedback', title: 'Clip as customer feedback', intent: 'feedback' },
  { id: 'cxplan-clip-goal', title: 'Capture as goal', intent: 'goal' },
  { id: 'cxplan-clip-action', title: 'Capture as action', intent: 'action' },
] as const;

export default defineBackground(() => {
  const db = new CxplanDb();
  const storage = new StorageService(db);
  const replica: ReplicaDeps = { db, transport: transportFor(db) };
  const badge =
    browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  const deps = {
    storage,
    scripting: browser.scripting,
    tabs: browser.tabs,
    local: browser.storage.local,
    prefs: () => readCapturePrefs(browser.storage.local),
    clock: Date.now,
    newId: () => crypto.randomUUID(),
    panel: new TagPanelLauncher(browser.scripting),
    status: new CaptureStatusBoard(badge),
    replica,
  };

  // The workspace must not be evicted when the disk runs low (Firefox grants this silently; see the function).
  void keepStoragePersistent(globalThis.navigator?.storage);
  registerMessageHandlers(deps);
  registerWorkspaceHandlers(browser);
  // The team replica: changes recorded anywhere (popup, dashboard, side panel) are pushed soon; the team's are
  // pulled every minute. Firefox's optional data-collection consent, when withdrawn, stops all sending.
  startTeamSync({
    deps: replica,
    alarms: browser.alarms,
    allowed: () => dataConsentGranted({ runtime: browser.runtime, permissions: browser.permissions }),
  });

  browser.runtime.onInstalled.addListener(async () => {
    await browser.contextMenus.removeAll();
    for (const item of MENU) {
      browser.contextMenus.create({ id: item.id, title: item.title, contexts: ['selection'] });
    }
  });

  browser.contextMenus.onClicked.addListener((info, tab) => {
    const item = MENU.find((m) => m.id === info.menuItemId);
    if (item === undefined || tab?.id === undefined) return;
    void runCapture(deps, { tabId: tab.id, intent: item.intent, frameId: info.frameId });
  });

  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== 'capture-selection' || tab?.id === undefined) return;
    void runCapture(deps, { tabId: tab.id, intent: 'feedback' });
  });

  browser.tabs.onRemoved.addListener((tabId) => deps.panel.forget(tabId));
});
