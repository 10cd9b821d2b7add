/**
 * Dates and times as survey tools write them: ISO 8601, `YYYY-MM-DD HH:MM:SS` (Qualtrics, Typeform), US
 * `M/D/YYYY h:mm:ss AM` (SurveyMonkey, Google Sheets, Microsoft Forms), `DD.MM.YYYY HH:MM` (Excel in a German
 * locale), `YYYY/MM/DD h:mm:ss AM GMT+1` (Google Forms' own download) and Unix seconds (NPS tools' APIs).
 *
 * A wall-clock time is read in the zone the value states (`Z`, `+01:00`, `GMT+1`, `UTC`, a common abbreviation),
 * else in the zone the export states for its column, else in the zone the user picked. Zones are IANA names
 * resolved with `Intl.DateTimeFormat` — an ECMAScript API available alike in browsers, Node and Forge, not a
 * platform global — so the core stays pure.
 */

/** Order of day and month in numeric dates that do not start with the year (`02/11/2026`). */
export type DayMonthOrder = 'mdy' | 'dmy';

/** How to read the values of one date column. */
export interface SurveyDateOptions {
  /** Day/month order of `02/11/2026`-like values; values that cannot be the other order are refused under it. */
  order?: DayMonthOrder;
  /** IANA zone of wall-clock times that state none (default `UTC`). */
  timeZone?: string;
}

/** A parsed date: the instant as an ISO date-time in UTC, or why the text is not a date. */
export type SurveyDateResult = { ok: true; iso: string } | { ok: false; message: string };

/**
 * What one column's values say about their format, counted over every value seen: how many can only be
 * day-first (`13/02/2026`), only month-first (`02/13/2026`), either (`02/11/2026`), which separators they use,
 * and how many are not dates. {@link decideDayMonthOrder} turns it into a decision.
 */
export interface DateColumnTally {
  /** Non-empty values seen. */
  values: number;
  /** Day/month-first values whose first number is over 12: only D/M/Y reads them. */
  dayFirstOnly: number;
  /** Day/month-first values whose second number is over 12: only M/D/Y reads them. */
  monthFirstOnly: number;
  /** Day/month-first values that both orders read (both numbers 12 or less, and different). */
  ambiguous: number;
  /** Of those day/month-first values, the ones written with dots (`02.11.2026`): no locale writes M.D.Y. */
  dotted: number;
  /** Values that state their own zone or offset (`Z`, `+01:00`, `GMT+1`, Unix time). */
  zoned: number;
  /** Values that are not a date in any order. */
  unreadable: number;
}

/** An empty tally. */
export function emptyDateTally(): DateColumnTally {
  return { values: 0, dayFirstOnly: 0, monthFirstOnly: 0, ambiguous: 0, dotted: 0, zoned: 0, unreadable: 0 };
}

/** The decision on a column's day/month order and why it was taken. */
export interface DayMonthDecision {
  /** The order to read with (a suggestion when `basis` is `ask`); undefined when no value needs one. */
  order: DayMonthOrder | undefined;
  /**
   * - `unneeded`: no value is day/month-first (ISO, year-first, Unix);
   * - `column`: some values can only be read one way and none the other way;
   * - `dots`: every value is ambiguous but written with dots, which is always day-first;
   * - `conflict`: some values read only day-first and others only month-first (rows of one order will be refused);
   * - `ask`: every value reads both ways: the user must say (`order` is the suggestion).
   */
  basis: 'unneeded' | 'column' | 'dots' | 'conflict' | 'ask';
}

/**
 * Decides a column's day/month order from its whole tally: values that can only be read one way decide it;
 * dotted dates are day-first; when every value reads both ways the user is asked, `suggestion` preselected.
 */
export function decideDayMonthOrder(
  tally: DateColumnTally,
  suggestion: DayMonthOrder = 'mdy',
): DayMonthDecision {
  const dayMonth = tally.dayFirstOnly + tally.monthFirstOnly + tally.ambiguous;
  if (dayMonth === 0) return { order: undefined, basis: 'unneeded' };
  if (tally.dayFirstOnly > 0 && tally.monthFirstOnly > 0)
    return { order: tally.dayFirstOnly >= tally.monthFirstOnly ? 'dmy' : 'mdy', basis: 'conflict' };
  if (tally.dayFirstOnly > 0) return { order: 'dmy', basis: 'column' };
  if (tally.monthFirstOnly > 0) return { order: 'mdy', basis: 'column' };
  if (tally.dotted === dayMonth) return { order: 'dmy', basis: 'dots' };
  return { order: suggestion, basis: 'ask' };
}

// Year-first or day/month-first date, an optional time (24-hour or with AM/PM) and an optional zone.
// Groups: 1 year, 2 separator, 3 month, 4 day | 5 first, 6 separator, 7 second, 8 year | 9 hour, 10 minute,
// 11 second, 12 fraction, 13 a/p | 14 zone.
const DATE_TIME =
  /^(?:(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([-/.])(\d{1,2})\6(\d{4}|\d{2}))(?:(?:T|,?\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT|UT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[A-Z]{3,5}))?$/;
const UNIX = /^\d{9,13}(?:\.\d+)?$/;
const OFFSET = /^(?:UTC|GMT|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/;

/**
 * Zone abbreviations some exports print after the time (Google Forms' own download: `… 9:14:11 AM EST`), read in
 * their North American / European meaning; ambiguous ones (IST, AST) are refused rather than guessed.
 */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  GMT: 0,
  UT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MEZ: 60,
  MESZ: 120,
  EET: 120,
  EEST: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  ACST: 570,
  AWST: 480,
  NZST: 720,
  NZDT: 780,
};

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}

/** Minutes east of UTC a zone token states, `undefined` for none, `NaN` for one that cannot be trusted. */
function statedOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  const m = OFFSET.exec(zone);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return Number(m[2]) > 14 || Number(m[3] ?? 0) > 59 ? Number.NaN : m[1] === '-' ? -minutes : minutes;
  }
  return ABBREVIATIONS[zone] ?? Number.NaN;
}

interface ZoneCache {
  format: Intl.DateTimeFormat;
  /** Offset (ms) by 15-minute slot of wall-clock time: every zone changes offset on a quarter hour. */
  bySlot: Map<number, number>;
}
const zones = new Map<string, ZoneCache | null>();

function zoneCache(zone: string): ZoneCache | null {
  let cache = zones.get(zone);
  if (cache === undefined) {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      cache = { format, bySlot: new Map() };
    } catch {
      cache = null;
    }
    zones.set(zone, cache);
  }
  return cache;
}

/** Whether `zone` is an IANA time zone this runtime knows (`UTC` always is). */
export function isKnownTimeZone(zone: string): boolean {
  return zoneCache(zone) !== null;
}

/** Offset (ms) of the zone from UTC at the instant `utcMs`. */
function offsetAt(cache: ZoneCache, utcMs: number): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of cache.format.formatToParts(utcMs)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') mi = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of a wall-clock time in an IANA zone (`wallMs` is that wall time written as if it were UTC).
 * Like `Date` for local times and Temporal's `compatible`: a time skipped by a daylight-saving change (02:30 on
 * the spring-forward night) reads as the offset before the change gives it (03:30 after it); a time that
 * happens twice reads as the earlier instant.
 */
export function zonedWallTimeToUtc(wallMs: number, zone: string): number | undefined {
  if (zone === 'UTC' || zone === 'Etc/UTC') return wallMs;
  const cache = zoneCache(zone);
  if (cache === null) return undefined;
  const slot = Math.floor(wallMs / 900_000);
  let offset = cache.bySlot.get(slot);
  if (offset === undefined) {
    const start = slot * 900_000;
    // The offsets in force half a day either side cover every zone's possible readings of this wall time.
    const before = offsetAt(cache, start - 50_400_000);
    const after = offsetAt(cache, start + 50_400_000);
    const fits = (o: number): boolean => offsetAt(cache, start - o) === o;
    if (fits(before) && fits(after)) offset = Math.max(before, after);
    else if (fits(before)) offset = before;
    else if (fits(after)) offset = after;
    else offset = before;
    cache.bySlot.set(slot, offset);
  }
  return wallMs - offset;
}

/** The parts of a date value before any zone is applied. */
interface DateParts {
  /** Wall-clock time written as if it were UTC (ms), NaN when invalid; for day/month-first values, see below. */
  wallMs: number;
  /** Minutes east of UTC the value states; undefined when it states none; NaN for a zone not known for sure. */
  offset: number | undefined;
  /** Unix time: already an instant. */
  unix?: boolean;
  /** For day/month-first values: the wall time read day-first and month-first (NaN where that order fails). */
  dayMonth?: { dmyMs: number; mdyMs: number; dotted: boolean };
}

function wall(y: number, mo: number, d: number, m: RegExpExecArray): number {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return Number.NaN;
  if (m[9] === undefined) return Date.UTC(y, mo - 1, d);
  let hour = Number(m[9]);
  const minute = Number(m[10]);
  const second = m[11] === undefined ? 0 : Number(m[11]);
  const ms = m[12] === undefined ? 0 : Math.floor(Number(`0.${m[12]}`) * 1000);
  if (minute > 59 || second > 59) return Number.NaN;
  if (m[13] !== undefined) {
    if (hour < 1 || hour > 12) return Number.NaN;
    const pm = m[13] === 'p' || m[13] === 'P';
    hour = (hour % 12) + (pm ? 12 : 0);
  } else if (hour > 23) return Number.NaN;
  return Date.UTC(y, mo - 1, d, hour, minute, second, ms);
}

function readParts(text: string): DateParts | undefined {
  if (UNIX.test(text)) {
    // Ten digits or fewer are seconds (until 2286), more are milliseconds.
    const ms = text.indexOf('.') === -1 && text.length > 11 ? Number(text) : Number(text) * 1000;
    return { wallMs: ms, offset: 0, unix: true };
  }
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const offset = statedOffset(m[14]);
  if (m[1] !== undefined) return { wallMs: wall(Number(m[1]), Number(m[3]), Number(m[4]), m), offset };
  const a = Number(m[5]);
  const b = Number(m[7]);
  const yy = Number(m[8]);
  // Two-digit years (Microsoft Forms opened in Excel: 11/2/26) follow POSIX: 69–99 → 19xx, 00–68 → 20xx.
  const year = (m[8] as string).length === 2 ? (yy >= 69 ? 1900 + yy : 2000 + yy) : yy;
  return {
    wallMs: Number.NaN,
    offset,
    dayMonth: { dmyMs: wall(year, b, a, m), mdyMs: wall(year, a, b, m), dotted: m[6] === '.' },
  };
}

/** Counts one value into a column's tally (empty values are not counted). */
export function tallyDate(tally: DateColumnTally, text: string): void {
  const value = text.trim();
  if (value !== '') tallyParts(tally, readParts(value));
}

function tallyParts(tally: DateColumnTally, parts: DateParts | undefined): void {
  tally.values++;
  if (parts === undefined) {
    tally.unreadable++;
    return;
  }
  if (parts.offset !== undefined && !Number.isNaN(parts.offset)) tally.zoned++;
  const dm = parts.dayMonth;
  if (dm === undefined) {
    if (Number.isNaN(parts.wallMs)) tally.unreadable++;
    return;
  }
  const dmy = !Number.isNaN(dm.dmyMs);
  const mdy = !Number.isNaN(dm.mdyMs);
  // 05/05/2026 reads the same either way: it needs no order and says nothing about it.
  if (dmy && mdy && dm.dmyMs === dm.mdyMs) return;
  if (dmy && mdy) tally.ambiguous++;
  else if (dmy) tally.dayFirstOnly++;
  else if (mdy) tally.monthFirstOnly++;
  else {
    tally.unreadable++;
    return;
  }
  if (dm.dotted) tally.dotted++;
}

/**
 * Reads one date or date-time as survey tools write it and returns the instant in UTC. Values stating a zone are
 * read in it; others in `options.timeZone` (default UTC); day/month-first values in `options.order`. With a
 * `tally`, the value is also counted into it (one read serves both: the importer does this for every row).
 */
export function parseSurveyDate(
  text: string,
  options: SurveyDateOptions = {},
  tally?: DateColumnTally,
): SurveyDateResult {
  const value = text.trim();
  const parts = readParts(value);
  if (tally !== undefined && value !== '') tallyParts(tally, parts);
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (parts === undefined)
    return {
      ok: false,
      message: `is not a date: "${shown}" (expected e.g. 2026-11-02 09:14, 11/2/2026 9:14 AM or 02.11.2026 09:14)`,
    };
  if (parts.offset !== undefined && Number.isNaN(parts.offset))
    return { ok: false, message: `states a time zone cxplan does not know for sure: "${shown}"` };
  let wallMs = parts.wallMs;
  const dm = parts.dayMonth;
  if (dm !== undefined) {
    const order = options.order;
    if (order === undefined) {
      if (!Number.isNaN(dm.dmyMs) && !Number.isNaN(dm.mdyMs) && dm.dmyMs !== dm.mdyMs)
        return { ok: false, message: `"${shown}" could be day/month or month/day: choose the order` };
      wallMs = Number.isNaN(dm.dmyMs) ? dm.mdyMs : dm.dmyMs;
    } else {
      wallMs = order === 'dmy' ? dm.dmyMs : dm.mdyMs;
      // Readable only in the other order: say so (the column's order may be wrong), not just "invalid".
      if (Number.isNaN(wallMs) && !Number.isNaN(order === 'dmy' ? dm.mdyMs : dm.dmyMs)) {
        const [want, got] =
          order === 'dmy' ? ['day/month/year', 'month/day/year'] : ['month/day/year', 'day/month/year'];
        return {
          ok: false,
          message: `"${shown}" is not a ${want} date (it reads as ${got}: check the order)`,
        };
      }
    }
  }
  if (Number.isNaN(wallMs)) return { ok: false, message: `is not a valid date: "${shown}"` };
  let utc: number | undefined;
  if (parts.unix === true) utc = wallMs;
  else if (parts.offset !== undefined) utc = wallMs - parts.offset * 60_000;
  else utc = zonedWallTimeToUtc(wallMs, options.timeZone ?? 'UTC');
  if (utc === undefined) return { ok: false, message: `time zone "${options.timeZone}" is not known` };
  const date = new Date(utc);
  if (!Number.isFinite(date.getTime()) || utc < Date.UTC(1900, 0, 1) || utc > Date.UTC(2200, 0, 1))
    return { ok: false, message: `is out of range: "${shown}"` };
  return { ok: true, iso: date.toISOString() };
}
