/**
 * A calendar day (`YYYY-MM-DD`) in the reader's locale, e.g. "5 Dec 2026" or "Dec 5, 2026". The day is read as
 * a date, not an instant, so no time zone moves it to the day before.
 */
export function formatDay(isoDay: string, locale?: string): string {
  const [y, m, d] = isoDay.slice(0, 10).split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined || Number.isNaN(y + m + d)) return isoDay;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant (ISO date-time) in the reader's locale and time zone, to the minute, e.g. "5 Dec 2026, 14:30". */
export function formatMoment(iso: string, locale?: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(new Date(ms));
}
