import type { Driver, SourceKind } from '@cxplan/core';

/** The tag panel's choices while the user edits them. */
export interface TagDraft {
  sourceKind: SourceKind;
  stageId?: string;
  eventId?: string;
  sentiment?: number;
  drivers: Driver[];
}

/** A key press's effect on the panel: a new draft, a pending two-key chord, save, close, or nothing. */
export type KeyEffect =
  | { type: 'draft'; draft: TagDraft }
  | { type: 'chord'; prefix: 's' | 'e' | 'd' }
  | { type: 'save' }
  | { type: 'close' }
  | { type: 'none' };

/** Single keys for the source kind. */
export const SOURCE_KEYS: Record<string, SourceKind> = {
  c: 'customer',
  p: 'partner',
  m: 'manager',
  i: 'internal',
};
/** Digits 1–5 for sentiment −2…+2. */
export const SENTIMENT_KEYS: Record<string, number> = { '1': -2, '2': -1, '3': 0, '4': 1, '5': 2 };
/** Driver order for the `d` chord. */
export const DRIVER_ORDER: readonly Driver[] = ['loyalty', 'retention', 'pain'];

/**
 * The panel's keyboard map, as a pure function so every binding is tested. Every tag is at most two keystrokes:
 * c/p/m/i source kind, 1–5 sentiment, `s`+digit stage, `e`+digit event (of the chosen stage), `d`+digit toggles a
 * driver; Enter saves, Escape closes (the clip is already saved, untagged).
 */
export function applyKey(
  draft: TagDraft,
  key: string,
  chord: 's' | 'e' | 'd' | null,
  stageIds: readonly string[],
  eventIdsOfStage: readonly string[],
): KeyEffect {
  if (key === 'Escape') return { type: 'close' };
  if (key === 'Enter') return { type: 'save' };
  if (chord !== null) {
    const n = Number.parseInt(key, 10) - 1;
    if (Number.isNaN(n) || n < 0) return { type: 'none' };
    if (chord === 's' && stageIds[n] !== undefined) {
      const stageId = stageIds[n];
      return {
        type: 'draft',
        draft: { ...draft, stageId, eventId: stageId === draft.stageId ? draft.eventId : undefined },
      };
    }
    if (chord === 'e' && eventIdsOfStage[n] !== undefined)
      return { type: 'draft', draft: { ...draft, eventId: eventIdsOfStage[n] } };
    const driver = DRIVER_ORDER[n];
    if (chord === 'd' && driver !== undefined) {
      const drivers = draft.drivers.includes(driver)
        ? draft.drivers.filter((d) => d !== driver)
        : [...draft.drivers, driver];
      return { type: 'draft', draft: { ...draft, drivers } };
    }
    return { type: 'none' };
  }
  const lower = key.toLowerCase();
  if (lower === 's' || lower === 'e' || lower === 'd') return { type: 'chord', prefix: lower };
  const source = SOURCE_KEYS[lower];
  if (source !== undefined) return { type: 'draft', draft: { ...draft, sourceKind: source } };
  const sentiment = SENTIMENT_KEYS[key];
  if (sentiment !== undefined) return { type: 'draft', draft: { ...draft, sentiment } };
  return { type: 'none' };
}
