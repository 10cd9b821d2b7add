/** Longest word kept in the search index (longer runs are URLs or noise; their first 40 letters still match). */
const MAX_WORD = 40;

/**
 * The words of some texts as the inbox search sees them: lower-cased, NFKC-normalised, split on anything that is
 * not a letter or a digit (any script), each word once. Stored on every evidence row (`searchWords`, a multi-entry
 * index) by the storage layer, and applied to what the user types, so both sides split text the same way.
 */
export function searchWords(...texts: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    if (text === undefined) continue;
    for (const word of text
      .normalize('NFKC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u))
      if (word !== '') out.add(word.slice(0, MAX_WORD));
  }
  return [...out];
}

/**
 * Whether every typed word starts a word of the row (any order): "refund arr" finds "The refund never arrived".
 * Empty input matches everything.
 */
export function matchesSearch(typed: readonly string[], rowWords: readonly string[]): boolean {
  return typed.every((t) => rowWords.some((w) => w.startsWith(t)));
}
