import { describe, expect, it } from 'vitest';
import { formatDay } from './dates';

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
