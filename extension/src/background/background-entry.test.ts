import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ProbeResult } from '../capture/page-probe';
import { TEAM_SYNC_ALARM } from '../team-sync/sync-scheduler';

/** A minimal browser event for the APIs fakeBrowser does not implement (contextMenus, commands). */
function fakeEvent<A extends unknown[]>() {
  const listeners: ((...args: A) => unknown)[] = [];
  return {
    addListener: (l: (...args: A) => unknown) => void listeners.push(l),
    trigger: async (...args: A) => {
      for (const l of listeners) await l(...args);
    },
  };
}

const selection: ProbeResult = {
  mode: 'read-selection',
  text: 'the app logs me out every hour',
  exact: 'the app logs me out every hour',
  prefix: 'Honestly ',
  suffix: '.',
  start: 9,
  end: 39,
  url: 'https://forum.example.com/t/1',
  title: 'Forum',
  focused: true,
};

const newMenus = () => ({
  create: vi.fn(),
  removeAll: vi.fn(async () => undefined),
  onClicked: fakeEvent<[{ menuItemId: string; frameId?: number }, { id?: number }]>(),
});
let menus = newMenus();
let commands = { onCommand: fakeEvent<[string, { id?: number }]>() };
const executeScript = vi.fn();

let fb = fakeBrowser;

/**
 * Starts a fresh background. Modules are reset because the messaging library allows one listener per message per
 * context; that also gives a fresh fakeBrowser, which gets the stubs for APIs it does not implement.
 */
async function startBackground(): Promise<void> {
  vi.resetModules();
  fb = (await import('wxt/testing/fake-browser')).fakeBrowser;
  fb.reset();
  Object.assign(fb, { contextMenus: menus, commands, scripting: { executeScript, insertCSS: vi.fn() } });
  // The team sync's consent check reads the manifest, which the fake browser does not implement.
  Object.assign(fb.runtime, { getManifest: () => ({ manifest_version: 3, name: 'cxplan' }) });
  const { default: background } = await import('../../entrypoints/background');
  background.main();
}

beforeEach(() => {
  menus = newMenus();
  commands = { onCommand: fakeEvent<[string, { id?: number }]>() };
  executeScript.mockReset();
});

async function openTab(): Promise<number> {
  const tab = await fb.tabs.create({ url: 'https://forum.example.com/t/1?utm_medium=social' });
  if (tab.id === undefined) throw new Error('fake tab without id');
  return tab.id;
}

/** Reads every clip row straight from (fake) IndexedDB. */
async function storedClips(): Promise<{ intent?: string; text: string }[]> {
  const { CxplanDb } = await import('../storage/db');
  const db = new CxplanDb();
  const rows = await db.evidence.toArray();
  db.close();
  return rows;
}

describe('background', () => {
  it('offers the three capture entries on a selection once installed', async () => {
    await startBackground();
    await fb.runtime.onInstalled.trigger({ reason: 'install' } as never);
    expect(menus.create.mock.calls.map(([item]) => [item.title, item.contexts])).toEqual([
      ['Clip as customer feedback', ['selection']],
      ['Capture as goal', ['selection']],
      ['Capture as action', ['selection']],
    ]);
  });

  it('captures from the clicked frame as a goal, and runs the team sync on its alarm', async () => {
    await startBackground();
    const tabId = await openTab();
    executeScript.mockResolvedValueOnce([{ frameId: 4, result: selection }]).mockResolvedValue([]);
    await menus.onClicked.trigger({ menuItemId: 'cxplan-clip-goal', frameId: 4 }, { id: tabId });
    await vi.waitFor(async () => expect((await storedClips()).some((c) => c.intent === 'goal')).toBe(true));
    expect(executeScript.mock.calls[0]?.[0]).toMatchObject({ target: { tabId, frameIds: [4] } });
    // The tag panel is injected after the clip is saved.
    await vi.waitFor(() =>
      expect(
        executeScript.mock.calls.some(([inj]) => inj.files?.[0] === '/content-scripts/tag-panel.js'),
      ).toBe(true),
    );
    await vi.waitFor(async () => expect(await fb.alarms.get(TEAM_SYNC_ALARM)).toBeDefined());
  });

  it('captures with the keyboard shortcut, and marks the button when a capture fails', async () => {
    await startBackground();
    const tabId = await openTab();
    executeScript.mockRejectedValueOnce(new Error('Cannot access contents of the page.'));
    await commands.onCommand.trigger('capture-selection', { id: tabId });
    await vi.waitFor(async () => expect(await fb.action.getBadgeText({ tabId })).toBe('!'));
    expect(await fb.action.getTitle({ tabId })).toMatch(/can only read a page after you ask it to/);
    executeScript.mockResolvedValueOnce([{ frameId: 0, result: selection }]).mockResolvedValue([]);
    await commands.onCommand.trigger('capture-selection', { id: tabId });
    await vi.waitFor(async () => expect(await fb.action.getBadgeText({ tabId })).toBe(''));
    expect((await storedClips()).some((c) => c.text === 'the app logs me out every hour')).toBe(true);
  });
});
