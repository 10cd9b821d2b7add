import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchQuote } from './match-quote';

const q = (exact: string, prefix?: string, suffix?: string) => ({
  type: 'TextQuoteSelector' as const,
  exact,
  prefix,
  suffix,
});
const p = (start: number, end: number) => ({ type: 'TextPositionSelector' as const, start, end });

describe('matchQuote', () => {
  it('uses the stored position while it still holds the quote', () => {
    expect(matchQuote('aa slow bb', q('slow'), p(3, 7))).toEqual({ start: 3, end: 7, by: 'position' });
  });

  it('finds the quote again after text was inserted before it', () => {
    const text = 'NEW BANNER. Review: the app is slow to load. Thanks';
    expect(matchQuote(text, q('slow to load', 'app is ', '. Thanks'), p(19, 31))).toEqual({
      start: 31,
      end: 43,
      by: 'quote',
    });
  });

  it('picks the occurrence whose context matches the stored prefix and suffix', () => {
    const text = 'slow here. Then: checkout slow again. And slow there.';
    const m = matchQuote(text, q('slow', 'checkout ', ' again'));
    expect(m?.start).toBe(text.indexOf('checkout slow') + 'checkout '.length);
  });

  it('reports nothing when the quote is gone', () => {
    expect(matchQuote('the page changed', q('slow to load'), p(0, 12))).toBeUndefined();
  });

  it('always returns a range that holds the exact quote (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.nat(),
        (before, exact, after, shift) => {
          const text = `${before}${exact}${after}`;
          const m = matchQuote(
            text,
            q(exact, before.slice(-8), after.slice(0, 8)),
            p(shift, shift + exact.length),
          );
          expect(m).toBeDefined();
          expect(text.slice(m?.start, m?.end)).toBe(exact);
        },
      ),
    );
  });
});
