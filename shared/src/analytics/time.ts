/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Milliseconds since the epoch for an ISO date (`YYYY-MM-DD`, read as UTC midnight) or date-time; `NaN` when
 * the text is not a date. Analytics take `now` as a parameter, so every result is reproducible.
 */
export function toMs(isoDateOrDateTime: string): number {
  return Date.parse(isoDateOrDateTime);
}

/** The end of a calendar day (`YYYY-MM-DD`, UTC): due dates count the whole day. */
export function endOfDayMs(isoDate: string): number {
  return Date.parse(isoDate) + DAY_MS - 1;
}

/** Clamps a number to [0, 1]; anything not finite counts as 0. */
export function clamp01(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 0;
  return Math.min(x, 1);
}
