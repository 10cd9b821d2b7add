import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DayMonthOrder,
  decideDayMonthOrder,
  emptyDateTally,
  isKnownTimeZone,
  parseSurveyDate,
  type SurveyDateOptions,
  tallyDate,
  zonedWallTimeToUtc,
} from './survey-dates';

const iso = (text: string, options?: SurveyDateOptions): string | undefined => {
  const r = parseSurveyDate(text, options);
  return r.ok ? r.iso : undefined;
};

describe('parseSurveyDate: the formats survey tools write (golden)', () => {
  it.each<[string, string, SurveyDateOptions, string]>([
    ['ISO date', '2026-11-02', {}, '2026-11-02T00:00:00.000Z'],
    ['ISO date-time in UTC', '2026-11-02T09:14:11Z', {}, '2026-11-02T09:14:11.000Z'],
    ['ISO with an offset', '2026-11-02T09:14:11+01:00', {}, '2026-11-02T08:14:11.000Z'],
    [
      'ISO with milliseconds and a compact offset',
      '2026-11-02T09:14:11.250-0500',
      {},
      '2026-11-02T14:14:11.250Z',
    ],
    ['Qualtrics / Typeform (no zone: the chosen one)', '2026-11-02 09:14:11', {}, '2026-11-02T09:14:11.000Z'],
    [
      'Qualtrics in its stated zone (Denver, after DST ended on 1 Nov 2026)',
      '2026-11-02 09:14:11',
      { timeZone: 'America/Denver' },
      '2026-11-02T16:14:11.000Z',
    ],
    [
      'Denver in summer time',
      '2026-10-30 09:14:11',
      { timeZone: 'America/Denver' },
      '2026-10-30T15:14:11.000Z',
    ],
    [
      'Google Sheets, US (M/D/YYYY, 24-hour)',
      '11/2/2026 9:14:11',
      { order: 'mdy' },
      '2026-11-02T09:14:11.000Z',
    ],
    [
      'SurveyMonkey (MM/DD/YYYY hh:mm:ss AM)',
      '11/02/2026 09:14:11 AM',
      { order: 'mdy' },
      '2026-11-02T09:14:11.000Z',
    ],
    ['12 PM is noon', '11/02/2026 12:05:00 PM', { order: 'mdy' }, '2026-11-02T12:05:00.000Z'],
    ['12 AM is midnight', '11/02/2026 12:05:00 AM', { order: 'mdy' }, '2026-11-02T00:05:00.000Z'],
    ['p.m. with dots', '11/02/2026 3:05 p.m.', { order: 'mdy' }, '2026-11-02T15:05:00.000Z'],
    [
      'Excel in a German locale (DD.MM.YYYY HH:MM) in Berlin',
      '02.11.2026 09:14',
      { order: 'dmy', timeZone: 'Europe/Berlin' },
      '2026-11-02T08:14:00.000Z',
    ],
    ['Microsoft Forms in Excel (M/D/YY)', '11/2/26 9:14:11', { order: 'mdy' }, '2026-11-02T09:14:11.000Z'],
    [
      "Google Forms' own download (year first, GMT offset)",
      '2026/11/02 9:14:11 AM GMT+1',
      {},
      '2026-11-02T08:14:11.000Z',
    ],
    ['a zone abbreviation', '2026/11/02 9:14:11 AM EST', {}, '2026-11-02T14:14:11.000Z'],
    ['UTC spelled out', '2026-11-02 09:14:11 UTC', { timeZone: 'Asia/Tokyo' }, '2026-11-02T09:14:11.000Z'],
    ['Unix seconds', '1793610851', {}, '2026-11-02T09:14:11.000Z'],
    ['Unix milliseconds', '1793610851250', {}, '2026-11-02T09:14:11.250Z'],
  ])('given %s (%s), when read, then it is that instant', (_what, text, options, expected) => {
    expect(parseSurveyDate(text, options)).toEqual({ ok: true, iso: expected });
  });

  it.each<[string, string, SurveyDateOptions, string]>([
    ['not a date', 'yesterday', {}, 'is not a date: "yesterday"'],
    ['a day that does not exist', '2026-02-30', {}, 'is not a valid date: "2026-02-30"'],
    ['an hour past 23', '2026-11-02 24:00', {}, 'is not a valid date'],
    ['13 PM', '11/02/2026 13:00 PM', { order: 'mdy' }, 'is not a valid date'],
    ['an ambiguous day/month with no order', '02/11/2026', {}, 'could be day/month or month/day'],
    [
      'a day-first date read month-first',
      '13/02/2026',
      { order: 'mdy' },
      '"13/02/2026" is not a month/day/year date (it reads as day/month/year: check the order)',
    ],
    [
      'an abbreviation that means several zones',
      '2026-11-02 09:14 IST',
      {},
      'time zone cxplan does not know',
    ],
    ['an unknown zone name', '2026-11-02 09:14', { timeZone: 'Mars/Olympus' }, 'time zone "Mars/Olympus"'],
  ])('given %s (%s), when read, then it is refused with a reason', (_what, text, options, reason) => {
    const r = parseSurveyDate(text, options);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(reason);
  });

  it('given 05/05/2026, when read with no order, then it is the same day either way', () => {
    expect(iso('05/05/2026')).toBe('2026-05-05T00:00:00.000Z');
    expect(iso('13/02/2026')).toBe('2026-02-13T00:00:00.000Z');
  });
});

describe('time zones', () => {
  it('given Berlin on the spring-forward night, when 02:30 is read, then it is 03:30 summer time (like Date)', () => {
    expect(iso('2026-03-29 02:30', { timeZone: 'Europe/Berlin' })).toBe('2026-03-29T01:30:00.000Z');
  });

  it('given Berlin on the fall-back night, when 02:30 is read, then it is the earlier (summer-time) instant', () => {
    expect(iso('2026-10-25 02:30', { timeZone: 'Europe/Berlin' })).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25 03:30', { timeZone: 'Europe/Berlin' })).toBe('2026-10-25T02:30:00.000Z');
  });

  it('given a zone with a 45-minute offset, when read, then the offset is exact', () => {
    expect(iso('2026-11-02 09:14', { timeZone: 'Asia/Kathmandu' })).toBe('2026-11-02T03:29:00.000Z');
  });

  it('knows IANA zones and refuses made-up ones', () => {
    expect(isKnownTimeZone('America/Denver')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Europe/Atlantis')).toBe(false);
  });

  it('given any instant and zone, when written as that zone’s wall time and read back, then it is the instant (property)', () => {
    const zonesToTry = ['America/Denver', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zonesToTry),
        (instant, zone) => {
          const at = Math.floor(instant / 1000) * 1000;
          const parts = Object.fromEntries(
            new Intl.DateTimeFormat('en-US', {
              timeZone: zone,
              hourCycle: 'h23',
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              second: 'numeric',
            })
              .formatToParts(at)
              .map((p) => [p.type, Number(p.value)]),
          ) as Record<string, number>;
          const wallMs = Date.UTC(
            parts.year ?? 0,
            (parts.month ?? 1) - 1,
            parts.day,
            parts.hour,
            parts.minute,
            parts.second,
          );
          const back = zonedWallTimeToUtc(wallMs, zone) as number;
          // A wall time that happens twice reads as the earlier instant: the later one comes back an offset
          // change (at most an hour) early.
          expect(back === at || (at - back > 0 && at - back <= 3_600_000)).toBe(true);
        },
      ),
    );
  });
});

describe('day/month order of a column', () => {
  const decide = (values: string[], suggestion?: DayMonthOrder) => {
    const tally = emptyDateTally();
    for (const v of values) tallyDate(tally, v);
    return { tally, decision: decideDayMonthOrder(tally, suggestion) };
  };

  it('given one value that can only be day-first, when the column is decided, then it is D/M/Y', () => {
    expect(decide(['02/11/2026', '05/11/2026', '13/11/2026']).decision).toEqual({
      order: 'dmy',
      basis: 'column',
    });
  });

  it('given one value that can only be month-first, then it is M/D/Y', () => {
    expect(decide(['11/2/2026 9:14:11', '11/13/2026 10:00:00']).decision).toEqual({
      order: 'mdy',
      basis: 'column',
    });
  });

  it('given only ambiguous values written with dots, then it is D.M.Y (no locale writes M.D.Y)', () => {
    expect(decide(['02.11.2026 09:14', '03.11.2026 10:00']).decision).toEqual({
      order: 'dmy',
      basis: 'dots',
    });
  });

  it('given only ambiguous values with slashes, then the user is asked, the suggestion preselected', () => {
    expect(decide(['02/11/2026', '03/11/2026'], 'dmy').decision).toEqual({ order: 'dmy', basis: 'ask' });
    expect(decide(['02/11/2026'], undefined).decision).toEqual({ order: 'mdy', basis: 'ask' });
  });

  it('given values of both orders, then it is a conflict (the majority order is suggested)', () => {
    expect(decide(['13/02/2026', '14/02/2026', '02/13/2026']).decision).toEqual({
      order: 'dmy',
      basis: 'conflict',
    });
  });

  it('given year-first, ISO or Unix values, then no order is needed', () => {
    const { tally, decision } = decide([
      '2026-11-02',
      '2026/11/02 9:14 AM GMT+1',
      '1793610851',
      'not a date',
      '',
    ]);
    expect(decision).toEqual({ order: undefined, basis: 'unneeded' });
    expect(tally).toEqual({
      values: 4,
      dayFirstOnly: 0,
      monthFirstOnly: 0,
      ambiguous: 0,
      dotted: 0,
      zoned: 2,
      unreadable: 1,
    });
  });

  it('given a tally passed to parseSurveyDate, then reading a value counts it too', () => {
    const tally = emptyDateTally();
    parseSurveyDate('13/02/2026', { order: 'mdy' }, tally);
    parseSurveyDate('02/11/2026', { order: 'mdy' }, tally);
    expect(tally).toMatchObject({ values: 2, dayFirstOnly: 1, ambiguous: 1 });
  });
});

describe('never throws (property)', () => {
  it('on arbitrary text and either order', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .array(
              fc.constantFrom('1', '2', '9', '12', '31', '2026', '/', '.', '-', ':', ' ', 'AM', 'Z', '+01'),
              {
                maxLength: 14,
              },
            )
            .map((p) => p.join('')),
        ),
        fc.constantFrom<DayMonthOrder | undefined>('dmy', 'mdy', undefined),
        (text, order) => {
          const r = parseSurveyDate(text, { order, timeZone: 'Europe/Berlin' });
          if (r.ok) expect(Number.isFinite(Date.parse(r.iso))).toBe(true);
          else expect(r.message.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
