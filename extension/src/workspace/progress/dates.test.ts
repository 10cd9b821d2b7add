import { describe, expect, it } from 'vitest';
import { formatDay, formatMoment } from './dates';

describe('formatDay', () => {
  it('shows a calendar day in the given locale without shifting it by a time zone', () => {
    expect(formatDay('2026-12-05', 'en-GB')).toBe('5 Dec 2026');
    expect(formatDay('2026-12-05', 'en-US')).toBe('Dec 5, 2026');
    expect(formatDay('2027-01-01T00:30:00Z', 'de-DE')).toBe('1. Jan. 2027');
  });

  it('gives back what is not a day unchanged', () => {
    expect(formatDay('soon', 'en-GB')).toBe('soon');
  });
});

describe('formatMoment', () => {
  it('shows an instant to the minute in the given locale and zone; what is not one is given back', () => {
    expect(formatMoment('2026-12-05T14:30:59.000Z', 'en-GB', 'UTC')).toBe('5 Dec 2026, 14:30');
    expect(formatMoment('2026-12-05T14:30:00Z', 'en-GB', 'Europe/Berlin')).toBe('5 Dec 2026, 15:30');
    expect(formatMoment('later', 'en-GB')).toBe('later');
  });
});
