import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { CaptureStatusBoard } from '../src/background/capture-status';
import { registerMessageHandlers, runCapture } from '../src/background/message-handlers';
import { TagPanelLauncher } from '../src/background/tag-panel-launcher';
import { registerWorkspaceHandlers } from '../src/background/workspace-handlers';
import { drainOutbox, OUTBOX_ALARM, type OutboxSender, scheduleOutbox } from '../src/outbox/outbox-scheduler';
import { drainOutboxToJira } from '../src/outbox-sender';
import { dataConsentGranted } from '../src/outbox-sender-consent';
import { watchOutboxWrites } from '../src/plan-outbox-watch';
import { readCapturePrefs } from '../src/settings/capture-prefs';
import { CxplanDb } from '../src/storage/db';
import { StorageService } from '../src/storage/storage-service';

/** Context-menu entries on a selection, and what each captures the selection as. */
const MENU = [
  { id: 'cxplan-clip-feedback', title: 'Clip as customer feedback', intent: 'feedback' },
  { id: 'cxplan-clip-goal', title: 'Capture as goal', intent: 'goal' },
  { id: 'cxplan-clip-action', title: 'Capture as action', intent: 'action' },
] as const;

/**
 * No per-entry sender: the Jira sender sends in signed batches (`drainOutboxToJira`, issue 7) and does nothing
 * until Jira is paired, so entries wait in the outbox until then. `drainOutbox` still recovers stale entries.
 */
const outboxSender: OutboxSender | undefined = undefined;

export default defineBackground(() => {
  const storage = new StorageService(new CxplanDb());
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
    outboxChanged: async () => {
      await scheduleOutbox(storage, browser.alarms, Date.now());
    },
  };

  registerMessageHandlers(deps);
  registerWorkspaceHandlers(browser);
  // Goals and actions are queued wherever they are saved (dashboard, side panel): notice and schedule the send.
  watchOutboxWrites(browser.alarms, () => scheduleOutbox(storage, browser.alarms, Date.now()));

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

  /** Puts back entries a stopped worker left in `sending`, sends what is due to Jira, re-arms the alarm. */
  const drainAll = async (): Promise<void> => {
    await drainOutbox(storage, outboxSender);
    const consent = (): Promise<boolean> =>
      dataConsentGranted({ runtime: browser.runtime, permissions: browser.permissions });
    await drainOutboxToJira({ storage, local: browser.storage.local, consent }).catch((e: unknown) => {
      console.warn('cxplan: sending to Jira failed; entries stay in the outbox', e);
    });
    await scheduleOutbox(storage, browser.alarms, Date.now());
  };

  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === OUTBOX_ALARM) await drainAll();
  });

  void drainAll();
});
