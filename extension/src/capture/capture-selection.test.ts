import { beforeEach, describe, expect, it } from 'vitest';
import { CxplanDb } from '../storage/db';
import { StorageService } from '../storage/storage-service';
import { type CaptureDeps, captureSelection, chooseSelection } from './capture-selection';
import type { ProbeResult, SelectionSnapshot } from './page-probe';

const NOW = Date.UTC(2026, 10, 23, 12);

function snap(over: Partial<SelectionSnapshot> = {}): SelectionSnapshot {
  return {
    mode: 'read-selection',
    text: ' slow checkout ',
    exact: 'slow checkout',
    prefix: 'a really ',
    suffix: ' today',
    start: 9,
    end: 22,
    url: 'https://shop.example.com/reviews?utm_source=x',
    title: 'Reviews',
    focused: false,
    ...over,
  };
}

/** Fake browser APIs: a tab and what executeScript answers (or throws). */
function deps(
  tab: { url?: string; title?: string } | undefined,
  frames: { frameId: number; result?: ProbeResult }[] | Error,
) {
  const storage = new StorageService(new CxplanDb(`cap-${Math.random()}`), () => NOW);
  const calls: unknown[] = [];
  const d = {
    storage,
    scripting: {
      executeScript: async (injection: unknown) => {
        calls.push(injection);
        if (frames instanceof Error) throw frames;
        return frames;
      },
    },
    tabs: {
      get: async (id: number) => {
        if (tab === undefined) throw new Error(`No tab with id: ${id}`);
        return { id, ...tab };
      },
    },
    prefs: async () => ({ capturedBy: 'Sam', lastTags: { sourceKind: 'manager' as const } }),
    clock: () => NOW,
    newId: () => 'clip-1',
  } as unknown as CaptureDeps;
  return { d, storage, calls };
}

const request = { tabId: 3, intent: 'feedback' as const, openPanel: true };

describe('chooseSelection', () => {
  it('prefers the focused frame, then the top frame, and ignores frames without a selection', () => {
    const top = snap({ url: 'https://a.example/' });
    const framed = snap({ url: 'https://a.example/frame', focused: true });
    expect(
      chooseSelection([
        { frameId: 0, result: top },
        { frameId: 5, result: framed },
      ]),
    ).toBe(framed);
    expect(
      chooseSelection([
        { frameId: 5, result: snap({ url: 'x' }) },
        { frameId: 0, result: top },
      ]),
    ).toBe(top);
    expect(chooseSelection([{ frameId: 0, result: null }, { frameId: 2 }])).toBeUndefined();
  });
});

describe('captureSelection', () => {
  let now: ReturnType<typeof deps>;
  beforeEach(() => {
    now = deps({ url: 'https://shop.example.com/reviews?utm_source=x&fbclid=1', title: 'Shop reviews' }, [
      { frameId: 0, result: snap() },
    ]);
  });

  it('stores the clip with cleaned URLs, selectors, who/when and the remembered source kind', async () => {
    const outcome = await captureSelection(now.d, request);
    expect(outcome.ok).toBe(true);
    expect(await now.storage.getEvidence('clip-1')).toMatchObject({
      text: 'slow checkout',
      sourceKind: 'manager',
      intent: 'feedback',
      origin: {
        url: 'https://shop.example.com/reviews',
        title: 'Shop reviews',
        capturedBy: 'Sam',
        capturedAt: '2026-11-23T12:00:00.000Z',
        via: 'clip',
      },
      target: {
        source: 'https://shop.example.com/reviews',
        quote: { type: 'TextQuoteSelector', exact: 'slow checkout', prefix: 'a really ', suffix: ' today' },
        position: { type: 'TextPositionSelector', start: 9, end: 22 },
      },
    });
    expect((await now.storage.getEvidence('clip-1'))?.target?.frameUrl).toBeUndefined();
    expect(now.calls[0]).toMatchObject({ target: { tabId: 3, allFrames: true } });
  });

  it('looks only in the frame a context-menu click names, and records a frame URL that differs', async () => {
    const framed = deps({ url: 'https://shop.example.com/' }, [
      { frameId: 7, result: snap({ url: 'https://widgets.example.com/reviews' }) },
    ]);
    const outcome = await captureSelection(framed.d, { ...request, frameId: 7, intent: 'goal' });
    expect(outcome).toMatchObject({
      ok: true,
      evidence: {
        intent: 'goal',
        target: { source: 'https://shop.example.com/', frameUrl: 'https://widgets.example.com/reviews' },
      },
    });
    expect(framed.calls[0]).toMatchObject({ target: { tabId: 3, frameIds: [7] } });
  });

  it('explains restricted pages without trying to script them', async () => {
    const store = deps({ url: 'https://chromewebstore.google.com/detail/x' }, []);
    expect(await captureSelection(store.d, request)).toMatchObject({ ok: false, code: 'restricted-page' });
    expect(store.calls).toHaveLength(0);
  });

  it('says a user gesture is needed when the page was not granted', async () => {
    const denied = deps(
      { url: undefined },
      new Error(
        'Cannot access contents of the page. Extension manifest must request permission to access the respective host.',
      ),
    );
    expect(await captureSelection(denied.d, request)).toMatchObject({ ok: false, code: 'no-access' });
  });

  it('given Firefox answers null for every frame of a page it hides (about:robots before a grant), when capturing, then it says a gesture is needed', async () => {
    const hidden = deps({ url: undefined }, [null] as unknown as { frameId: number }[]);
    expect(await captureSelection(hidden.d, request)).toMatchObject({ ok: false, code: 'no-access' });
    expect(await hidden.storage.getEvidence('clip-1')).toBeUndefined();
  });

  it('given Firefox answers null for one frame and a selection for another, when capturing, then it clips the selection', async () => {
    const mixed = deps({ url: 'https://shop.example.com/reviews' }, [
      null,
      { frameId: 0, result: snap() },
    ] as unknown as { frameId: number; result?: ProbeResult }[]);
    expect(await captureSelection(mixed.d, request)).toMatchObject({
      ok: true,
      evidence: { text: 'slow checkout' },
    });
  });

  it('treats the PDF viewer as restricted', async () => {
    const pdf = deps(
      { url: 'https://example.com/report.pdf' },
      new Error('Cannot access contents of the page.'),
    );
    expect(await captureSelection(pdf.d, request)).toMatchObject({ ok: false, code: 'restricted-page' });
  });

  it('explains that a selection in another site’s embedded frame cannot be read', async () => {
    const widget = deps({ url: 'https://a.example/' }, [
      { frameId: 0, result: { mode: 'no-selection', focusInForeignFrame: true } },
    ]);
    const outcome = await captureSelection(widget.d, request);
    expect(outcome).toMatchObject({ ok: false, code: 'restricted-page' });
    expect(outcome.ok ? '' : outcome.message).toMatch(/frame from another site/);
  });

  it('refuses pages without a web address, a closed tab, and an empty selection', async () => {
    const file = deps({ url: 'file:///home/me/notes.html' }, [
      { frameId: 0, result: snap({ url: 'file:///home/me/notes.html' }) },
    ]);
    expect(await captureSelection(file.d, request)).toMatchObject({ ok: false, code: 'unsupported-page' });
    expect(await captureSelection(deps(undefined, []).d, request)).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    const empty = deps({ url: 'https://a.example/' }, [{ frameId: 0, result: null }]);
    expect(await captureSelection(empty.d, request)).toMatchObject({ ok: false, code: 'no-selection' });
    expect(await empty.storage.countEvidence()).toBe(0);
  });
});
