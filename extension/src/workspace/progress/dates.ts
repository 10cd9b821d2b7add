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
