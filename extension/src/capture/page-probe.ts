/**
 * The only code the extension runs in a web page (besides the tag panel), injected with
 * `scripting.executeScript({ func: pageProbe, args: [request] })` after a user gesture granted `activeTab`.
 *
 * Chrome serialises `func` by its source text, so this function must be self-contained: every helper is
 * declared inside it and nothing from the module scope is referenced.
 *
 * The page's "text" is the concatenation of the text nodes under <body>, minus script/style/noscript/template:
 * TextPositionSelector offsets count into that string, and the same definition is used to read a selection
 * and to find a quote again.
 */

/** What the background asks a frame for. */
export type ProbeRequest =
  | { mode: 'read-selection'; context: number }
  | { mode: 'page-text' }
  | { mode: 'highlight'; start: number; end: number };

/** A selection read from a frame, with its W3C selectors. */
export interface SelectionSnapshot {
  mode: 'read-selection';
  /** The selected text as the user sees it (for display). */
  text: string;
  /** The selected characters of the page text (the TextQuoteSelector's `exact`). */
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
  url: string;
  title: string;
  /** Whether this frame had focus: when several frames hold a selection, the focused one wins. */
  focused: boolean;
}

/** A frame without a selection; says whether the user is working inside an embedded frame of another site. */
export interface NoSelection {
  mode: 'no-selection';
  /** Focus is in an iframe this extension cannot read (another origin): the selection is probably there. */
  focusInForeignFrame: boolean;
}

/** A frame's text, for finding a quote again. */
export interface PageTextSnapshot {
  mode: 'page-text';
  text: string;
  url: string;
}

/** The outcome of highlighting a range. */
export interface HighlightOutcome {
  mode: 'highlight';
  highlighted: boolean;
  /** The text that was highlighted (so callers can check it is the quote). */
  text: string;
}

/** What a frame answers (null only when the injected function could not run to the end). */
export type ProbeResult = SelectionSnapshot | NoSelection | PageTextSnapshot | HighlightOutcome | null;

/** Runs in the page: reads the selection, returns the page text, or highlights a range of it. */
export function pageProbe(request: ProbeRequest): ProbeResult {
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const textNodes = (): Text[] => {
    const out: Text[] = [];
    if (!document.body) return out;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && SKIP.has(n.parentElement.tagName) ? 2 : 1),
    });
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) out.push(n as Text);
    return out;
  };

  if (request.mode === 'page-text') {
    return {
      mode: 'page-text',
      text: textNodes()
        .map((n) => n.data)
        .join(''),
      url: location.href,
    };
  }

  if (request.mode === 'read-selection') {
    const noSelection = (): NoSelection => {
      const active = document.activeElement;
      let foreign = false;
      if (active instanceof HTMLIFrameElement || active instanceof HTMLFrameElement) {
        try {
          foreign = active.contentDocument === null;
        } catch {
          foreign = true;
        }
      }
      return { mode: 'no-selection', focusInForeignFrame: foreign };
    };
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return noSelection();
    const range = sel.getRangeAt(0);
    const nodes = textNodes();
    let acc = 0;
    let start = -1;
    let end = -1;
    const parts: string[] = [];
    for (const n of nodes) {
      const len = n.data.length;
      if (start < 0) {
        if (n === range.startContainer) start = acc + range.startOffset;
        else if (range.comparePoint(n, 0) === 0) start = acc;
      }
      if (end < 0 && start >= 0) {
        if (n === range.endContainer) end = acc + range.endOffset;
        else if (range.comparePoint(n, len) === 1) end = acc;
      }
      parts.push(n.data);
      acc += len;
    }
    if (start < 0) return noSelection();
    if (end < 0) end = acc;
    const text = parts.join('');
    const exact = text.slice(start, end);
    if (exact.trim() === '') return noSelection();
    return {
      mode: 'read-selection',
      text: sel.toString(),
      exact,
      prefix: text.slice(Math.max(0, start - request.context), start),
      suffix: text.slice(end, end + request.context),
      start,
      end,
      url: location.href,
      title: document.title,
      focused: document.hasFocus(),
    };
  }

  // highlight: map the offsets back onto text nodes and mark the range without changing the page's DOM.
  const nodes = textNodes();
  const range = document.createRange();
  let acc = 0;
  let started = false;
  for (const n of nodes) {
    const len = n.data.length;
    if (!started && request.start <= acc + len) {
      range.setStart(n, request.start - acc);
      started = true;
    }
    if (started && request.end <= acc + len) {
      range.setEnd(n, request.end - acc);
      const target = range.startContainer.parentElement;
      target?.scrollIntoView({ block: 'center' });
      const highlights = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS?.highlights;
      const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
      if (highlights && HighlightCtor) {
        highlights.set('cxplan-clip', new HighlightCtor(range));
      } else {
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      return { mode: 'highlight', highlighted: true, text: range.toString() };
    }
    acc += len;
  }
  return { mode: 'highlight', highlighted: false, text: '' };
}
