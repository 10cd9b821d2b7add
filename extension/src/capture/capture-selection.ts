import { cleanUrl, describeErrors, ParseError } from '@cxplan/core';
import type * as v from 'valibot';
import type { ScriptingApi, TabsApi } from '../background/browser-apis';
import type { CaptureOutcome, CaptureRequestSchema, Failure } from '../messaging/protocol';
import type { CapturePrefs } from '../settings/capture-prefs';
import type { EvidenceRow } from '../storage/evidence-row';
import type { StorageService } from '../storage/storage-service';

import { explainScriptingError, isRestrictedUrl, restrictedPage } from './page-access';
import { type ProbeRequest, type ProbeResult, pageProbe, type SelectionSnapshot } from './page-probe';

/** Characters of context kept either side of a quote (TextQuoteSelector prefix/suffix). */
export const QUOTE_CONTEXT = 32;

/** What capturing needs from the browser and the rest of the extension (injected, so tests can fake it). */
export interface CaptureDeps {
  storage: StorageService;
  scripting: Pick<ScriptingApi, 'executeScript'>;
  tabs: Pick<TabsApi, 'get'>;
  prefs: () => Promise<CapturePrefs>;
  clock: () => number;
  newId: () => string;
}

/** Picks the frame the user meant: the focused frame's selection, else the top frame's, else any. */
export function chooseSelection(
  results: readonly { frameId: number; result?: ProbeResult }[],
): SelectionSnapshot | undefined {
  const snaps = results
    .map((r) => ({ frameId: r.frameId, snap: r.result }))
    .filter((r): r is { frameId: number; snap: SelectionSnapshot } => r.snap?.mode === 'read-selection');
  return (snaps.find((s) => s.snap.focused) ?? snaps.find((s) => s.frameId === 0) ?? snaps[0])?.snap;
}

/** A row for a selection: W3C target, cleaned URLs, who and when, and the last source kind chosen. */
export function buildClip(
  snap: SelectionSnapshot,
  page: { url: string; title: string | undefined },
  intent: EvidenceRow['intent'],
  prefs: CapturePrefs,
  id: string,
  now: number,
): EvidenceRow {
  const pageUrl = cleanUrl(page.url);
  const frameUrl = cleanUrl(snap.url);
  return {
    id,
    text: snap.text.trim() === '' ? snap.exact.trim() : snap.text.trim(),
    sourceKind: prefs.lastTags.sourceKind ?? 'customer',
    intent,
    drivers: [],
    origin: {
      url: pageUrl,
      title: page.title ?? snap.title,
      capturedBy: prefs.capturedBy,
      capturedAt: new Date(now).toISOString(),
      via: 'clip',
    },
    target: {
      source: pageUrl,
      quote: { type: 'TextQuoteSelector', exact: snap.exact, prefix: snap.prefix, suffix: snap.suffix },
      position: { type: 'TextPositionSelector', start: snap.start, end: snap.end },
      ...(frameUrl !== pageUrl ? { frameUrl } : {}),
    },
  };
}

/**
 * Clips the selection of a tab: reads it from the page (every frame the browser lets us into, or the one frame a
 * context-menu click names), builds the W3C-style clip, and stores it with its outbox entry. The page must have
 * been granted to the extension by a user gesture (`activeTab`); otherwise the answer says so.
 */
export async function captureSelection(
  deps: CaptureDeps,
  request: v.InferOutput<typeof CaptureRequestSchema>,
): Promise<CaptureOutcome> {
  const started = deps.clock();
  const tab = await deps.tabs.get(request.tabId).catch(() => undefined);
  if (tab === undefined) return { ok: false, code: 'not-found', message: 'That tab is no longer open.' };
  if (isRestrictedUrl(tab.url)) return restrictedPage();

  const probe: ProbeRequest = { mode: 'read-selection', context: QUOTE_CONTEXT };
  let results: { frameId: number; result?: ProbeResult }[];
  try {
    results = await deps.scripting.executeScript({
      target:
        request.frameId === undefined
          ? { tabId: request.tabId, allFrames: true }
          : { tabId: request.tabId, frameIds: [request.frameId] },
      func: pageProbe,
      args: [probe],
    });
  } catch (e) {
    return explainScriptingError(e, tab.url);
  }
  // Firefox resolves instead of rejecting for a page no extension may enter (about:robots and its other privileged
  // pages, whose URL it hides until activeTab is granted): each frame's entry is null, and nothing ran.
  const entered = results.filter((r) => r != null);
  if (entered.length === 0 && results.length > 0)
    return explainScriptingError(new Error('No frame of the page could be read.'), tab.url);
  results = entered;
  const snap = chooseSelection(results);
  if (snap === undefined) {
    const foreign = results.some((r) => r.result?.mode === 'no-selection' && r.result.focusInForeignFrame);
    return foreign
      ? foreignFrame()
      : { ok: false, code: 'no-selection', message: 'Select some text on the page first, then clip it.' };
  }
  const pageUrl = tab.url ?? snap.url;
  if (!/^https?:/i.test(pageUrl) || !/^https?:/i.test(snap.url)) {
    return {
      ok: false,
      code: 'unsupported-page',
      message:
        'Only web pages (http or https) can be clipped; this page has no web address to link the clip to.',
    };
  }
  const prefs = await deps.prefs();
  const row = buildClip(
    snap,
    { url: pageUrl, title: tab.title },
    request.intent,
    prefs,
    deps.newId(),
    started,
  );
  try {
    const evidence = await deps.storage.addCapture(row);
    return { ok: true, evidence, durationMs: deps.clock() - started };
  } catch (e) {
    return storageFailure(e);
  }
}

/** The selection is in an embedded frame of another site, which activeTab does not open to the extension. */
function foreignFrame(): Failure {
  return {
    ok: false,
    code: 'restricted-page',
    message:
      'The selection is inside a frame from another site (an embedded widget), which browsers do not let extensions ' +
      'read from this page. Open the frame on its own (right-click in it → "Open frame in new tab") and clip it there.',
  };
}

/** A storage rejection as a user-facing failure (a schema problem names the field). */
export function storageFailure(e: unknown): Failure {
  if (e instanceof ParseError)
    return { ok: false, code: 'invalid-request', message: describeErrors(e.errors) };
  return {
    ok: false,
    code: 'storage-error',
    message: `The clip could not be saved: ${e instanceof Error ? e.message : String(e)}`,
  };
}
