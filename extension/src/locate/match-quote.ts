import type { TextPositionSelector, TextQuoteSelector } from '@cxplan/core';

/** Where a quote was found in a text: character offsets, and how it was found. */
export interface QuoteMatch {
  start: number;
  end: number;
  /** `position`: the stored offsets still hold the quote; `quote`: found by searching for it. */
  by: 'position' | 'quote';
}

/** Length of the common suffix of `a` and `b` (how much of a stored prefix still precedes a match). */
function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Length of the common prefix of `a` and `b`. */
function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Finds a clip's quote in a page's text again (W3C selectors): the stored position when it still holds the exact
 * quote, otherwise the occurrence of the quote whose surrounding text best matches the stored prefix and suffix,
 * ties going to the one nearest the old position. Undefined when the quote is no longer in the text.
 */
export function matchQuote(
  text: string,
  quote: TextQuoteSelector,
  position?: TextPositionSelector,
): QuoteMatch | undefined {
  const { exact } = quote;
  if (position && text.slice(position.start, position.end) === exact) {
    return { start: position.start, end: position.end, by: 'position' };
  }
  const prefix = quote.prefix ?? '';
  const suffix = quote.suffix ?? '';
  let best: { start: number; score: number; distance: number } | undefined;
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
    const score =
      commonSuffix(text.slice(Math.max(0, at - prefix.length), at), prefix) +
      commonPrefix(text.slice(at + exact.length, at + exact.length + suffix.length), suffix);
    const distance = position ? Math.abs(position.start - at) : 0;
    if (!best || score > best.score || (score === best.score && distance < best.distance)) {
      best = { start: at, score, distance };
    }
  }
  return best && { start: best.start, end: best.start + exact.length, by: 'quote' };
}
