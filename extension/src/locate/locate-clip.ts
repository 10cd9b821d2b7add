import { cleanUrl } from '@cxplan/core';
import type { ScriptingApi, TabsApi } from '../background/browser-apis';

import { explainScriptingError } from '../capture/page-access';
import { pageProbe } from '../capture/page-probe';
import type { LocateOutcome } from '../messaging/protocol';
import type { StorageService } from '../storage/storage-service';
import { matchQuote } from './match-quote';

/** Style for the highlight; inserted into the page only when a clip is located (CSS Custom Highlight API). */
export const HIGHLIGHT_CSS = '::highlight(cxplan-clip) { background-color: #ffe066; color: #111; }';

/** What locating needs from the browser. */
export interface LocateDeps {
  storage: StorageService;
  scripting: Pick<ScriptingApi, 'executeScript' | 'insertCSS'>;
  tabs: Pick<TabsApi, 'get'>;
}

/**
 * Scrolls a tab to a stored clip and highlights it: reads the frame's text, finds the quote again with
 * {@link matchQuote} (the stored position if it still holds, else by quote and context), then highlights that
 * range. A page that changed so the quote is gone gets a clear answer.
 */
export async function locateClip(
  deps: LocateDeps,
  tabId: number,
  evidenceId: string,
): Promise<LocateOutcome> {
  const clip = await deps.storage.getEvidence(evidenceId);
  if (clip?.target === undefined)
    return { ok: false, code: 'not-found', message: 'That clip no longer exists.' };
  const tab = await deps.tabs.get(tabId).catch(() => undefined);
  try {
    const frames = await deps.scripting.executeScript({
      target: { tabId, allFrames: clip.target.frameUrl !== undefined },
      func: pageProbe,
      args: [{ mode: 'page-text' }],
    });
    const wanted = clip.target.frameUrl;
    for (const frame of frames) {
      // Firefox lists a frame it could not enter as null (see captureSelection).
      if (frame == null) continue;
      const page = frame.result;
      if (page?.mode !== 'page-text') continue;
      // A clip made inside a frame is looked for in the frame with that (cleaned) URL.
      if (wanted !== undefined && cleanUrl(page.url) !== wanted) continue;
      const match = matchQuote(page.text, clip.target.quote, clip.target.position);
      if (match === undefined) continue;
      await deps.scripting.insertCSS({ target: { tabId, frameIds: [frame.frameId] }, css: HIGHLIGHT_CSS });
      const [done] = await deps.scripting.executeScript({
        target: { tabId, frameIds: [frame.frameId] },
        func: pageProbe,
        args: [{ mode: 'highlight', start: match.start, end: match.end }],
      });
      if (done?.result?.mode === 'highlight' && done.result.highlighted) {
        return { ok: true, by: match.by, text: done.result.text };
      }
    }
  } catch (e) {
    return explainScriptingError(e, tab?.url);
  }
  return {
    ok: false,
    code: 'quote-not-found',
    message: 'Could not find this quote any more: the page has changed since it was clipped.',
  };
}
