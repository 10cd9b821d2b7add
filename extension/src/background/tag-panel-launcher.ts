import type { ScriptingApi } from './browser-apis';

/** The built tag-panel content script (registration: runtime, so it is never listed in the manifest). */
export const TAG_PANEL_SCRIPT = '/content-scripts/tag-panel.js';

/**
 * Remembers which clip each tab's panel is for and injects the panel after a capture. The panel asks for its
 * state on start (`getPanelState`), so nothing is passed through the page.
 */
export class TagPanelLauncher {
  private readonly pending = new Map<number, string>();

  constructor(private readonly scripting: Pick<ScriptingApi, 'executeScript'>) {}

  /** Injects the panel into the tab's top frame for the given clip. */
  async open(tabId: number, evidenceId: string): Promise<void> {
    this.pending.set(tabId, evidenceId);
    await this.scripting.executeScript({ target: { tabId }, files: [TAG_PANEL_SCRIPT] });
  }

  /** The clip the panel in this tab is for, if any. */
  clipFor(tabId: number): string | undefined {
    return this.pending.get(tabId);
  }

  /** Forgets a tab (closed, or the panel was done). */
  forget(tabId: number): void {
    this.pending.delete(tabId);
  }
}
