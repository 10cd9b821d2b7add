import type { ClipTarget } from '@cxplan/core';

const enc = (s: string): string => encodeURIComponent(s).replace(/-/g, '%2D');

/** The last few words of a context string, short enough to stay a useful text-fragment anchor. */
function tail(s: string, words: number): string {
  return s.trim().split(/\s+/).slice(-words).join(' ');
}

function head(s: string, words: number): string {
  return s.trim().split(/\s+/).slice(0, words).join(' ');
}

/**
 * The clip's page URL with a text fragment (`#:~:text=prefix-,quote,-suffix`), so the browser itself scrolls
 * to the quote and highlights it when the page opens, without any permission on that page. Used when the
 * extension cannot script the page (no activeTab grant from the dashboard); the re-anchoring of
 * `locate/locate-clip.ts` is tried too.
 */
export function textFragmentUrl(target: ClipTarget): string {
  const url = new URL(target.frameUrl ?? target.source);
  const q = target.quote;
  const exact = q.exact.trim().replace(/\s+/g, ' ');
  const words = exact.split(' ');
  // Long quotes are addressed by their start and end (textStart,textEnd), as the spec allows.
  const body =
    words.length > 12 ? `${enc(words.slice(0, 5).join(' '))},${enc(words.slice(-5).join(' '))}` : enc(exact);
  const prefix = q.prefix?.trim() ? `${enc(tail(q.prefix, 3))}-,` : '';
  const suffix = q.suffix?.trim() ? `,-${enc(head(q.suffix, 3))}` : '';
  url.hash = `:~:text=${prefix}${body}${suffix}`;
  return url.toString();
}
