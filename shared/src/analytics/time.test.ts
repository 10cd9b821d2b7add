import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMs } from './time';

describe('toMs', () => {
  it('agrees with Date.parse on canonical and other ISO forms (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString();
          expect(toMs(iso)).toBe(Date.parse(iso));
          const short = `${iso.slice(0, 19)}Z`;
          expect(toMs(short)).toBe(Date.parse(short));
        },
      ),
    );
  });

  it('falls back to Date.parse for everything else', () => {
    for (const s of [
      '2026-02-30T00:00:00Z',
      '2026-11-23T09:30:00+02:00',
      '2026-11-23',
      'nonsense',
      '2026-13-01T00:00:00.000Z',
      'abcd-ef-ghTij:kl:mn.opqZ',
    ])
      expect(Object.is(toMs(s), Date.parse(s))).toBe(true);
  });
});
