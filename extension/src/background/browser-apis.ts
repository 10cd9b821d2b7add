import type { browser } from 'wxt/browser';

/** `browser.scripting` as WXT types it (its `files` are checked against the built entrypoints). */
export type ScriptingApi = typeof browser.scripting;
/** `browser.tabs`. */
export type TabsApi = typeof browser.tabs;
