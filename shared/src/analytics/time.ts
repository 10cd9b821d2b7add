/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Milliseconds since the epoch for an ISO date (`YYYY-MM-DD`, read as UTC midnight) or date-time; `NaN` when
 * the text is not a date. Analytics take `now` as a parameter, so every result is reproducible.
 */
export function toMs(isoDateOrDateTime: string): number {
  // Fast path for the canonical UTC forms `toISOString()` writes (`YYYY-MM-DDTHH:mm:ss.sssZ`, or without
  // milliseconds): analytics read 100k+ timestamps per run and Date.parse dominates otherwise.
  const n = isoDateOrDateTime.length;
  if (n === 10) {
    const ms = canonicalDateMs(isoDateOrDateTime);
    if (ms !== undefined) return ms;
  }
  if ((n === 24 || n === 20) && isoDateOrDateTime.charCodeAt(n - 1) === 90 /* Z */) {
    const ms = canonicalUtcMs(isoDateOrDateTime, n);
    if (ms !== undefined) return ms;
  }
  return Date.parse(isoDateOrDateTime);
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function daysInMonth(y: number, mo: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function canonicalDateMs(s: string): number | undefined {
  if (s[4] !== '-' || s[7] !== '-') return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return Date.UTC(y, mo - 1, d);
}

function canonicalUtcMs(s: string, n: number): number | undefined {
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return undefined;
  if (n === 24 && s[19] !== '.') return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const ms = n === 24 ? digits(s, 20, 3) : 0;
  // Date.UTC reads years 0–99 as 1900–1999, so early years go to Date.parse.
  if (
    y < 1000 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59 ||
    ms < 0
  )
    return undefined;
  // Overflowing days (e.g. Feb 30) go to Date.parse, which decides what they mean.
  if (d > daysInMonth(y, mo)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** The end of a calendar day (`YYYY-MM-DD`, UTC): due dates count the whole day. */
export function endOfDayMs(isoDate: string): number {
  return toMs(isoDate) + DAY_MS - 1;
}

/** The first millisecond (UTC) of the day an instant falls on; `NaN` stays `NaN`. */
export function startOfDayMs(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Clamps a number to [0, 1]; anything not finite counts as 0. */
export function clamp01(x: number): number {
  if (!Number.isFinite(x) || x <= 0) return 0;
  return Math.min(x, 1);
}
