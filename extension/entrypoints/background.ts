import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { CaptureStatusBoard } from '../src/background/capture-status';
import { registerMessageHandlers, runCapture } from '../src/background/message-handlers';
import { TagPanelLauncher } from '../src/background/tag-panel-launcher';
import { drainOutbox, OUTBOX_ALARM, type OutboxSender, scheduleOutbox } from '../src/outbox/outbox-scheduler';
import { readCapturePrefs } from '../src/settings/capture-prefs';
import { CxplanDb } from '../src/storage/db';
import { StorageService } from '../src/storage/storage-service';

/** Context-menu entries on a selection, and what each captures the selection as. */
const MENU = [
  { id: 'cxplan-clip-feedback', title: 'Clip as customer feedback', intent: 'feedback' },
  { id: 'cxplan-clip-goal', title: 'Capture as goal', intent: 'goal' },
  { id: 'cxplan-clip-action', title: 'Capture as action', intent: 'action' },
] as const;

/** No sender until Jira is connected (issue 7 registers one); entries wait in the outbox until then. */
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

  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== OUTBOX_ALARM) return;
    await drainOutbox(storage, outboxSender);
    await scheduleOutbox(storage, browser.alarms, Date.now());
  });

  // A worker that was stopped mid-send left entries in `sending`: put them back and re-arm the alarm.
  void drainOutbox(storage, outboxSender).then(() => scheduleOutbox(storage, browser.alarms, Date.now()));
});
