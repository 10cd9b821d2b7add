import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeWhatwgTextDecoder } from '../../../test/harness/whatwg-text-decoder';
import { decodeChunks, type MakeTextDecoder, sniffTextEncoding } from './text-encoding';

const makeDecoder: MakeTextDecoder = makeWhatwgTextDecoder;
const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
const utf16le = (text: string): number[] =>
  [...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);

describe('sniffTextEncoding', () => {
  it.each<[string, Uint8Array, string, boolean]>([
    [
      'a UTF-8 byte-order mark (Excel "CSV UTF-8")',
      bytes([0xef, 0xbb, 0xbf], 'Kommentar\nspät\n'),
      'utf-8',
      true,
    ],
    [
      'a UTF-16 LE byte-order mark (Excel "Unicode text")',
      bytes([0xff, 0xfe], utf16le('a\tb\r\n')),
      'utf-16le',
      true,
    ],
    ['a UTF-16 BE byte-order mark', bytes([0xfe, 0xff, 0, 0x61, 0, 0x0a]), 'utf-16be', true],
    ['UTF-16 LE without a mark', bytes(utf16le('Comment,Score\r\nfine,9\r\n')), 'utf-16le', false],
    ['plain ASCII', bytes('Comment,Score\nfine,9\n'), 'utf-8', false],
    ['valid UTF-8 without a mark', bytes('Kommentar\nzu spät\n'), 'utf-8', false],
    ['Windows-1252 (spät as 0xE4)', bytes('zu sp', [0xe4], 't;'), 'windows-1252', false],
  ])('given %s, when sniffed, then it is that encoding', (_what, input, encoding, bom) => {
    expect(sniffTextEncoding(input, makeDecoder)).toMatchObject({ encoding, bom });
  });

  it('given a sample that cuts a UTF-8 character in two, when it is only the start, then it is still UTF-8', () => {
    const cut = bytes('zu sp', [0xc3]);
    expect(sniffTextEncoding(cut, makeDecoder, false).encoding).toBe('utf-8');
    expect(sniffTextEncoding(cut, makeDecoder, true).encoding).toBe('windows-1252');
  });

  it('says why, in words', () => {
    expect(sniffTextEncoding(bytes('zu sp', [0xe4], 't'), makeDecoder).why).toContain('not valid UTF-8');
  });
});

describe('decodeChunks', () => {
  it('given any split of UTF-8 bytes, when decoded chunk by chunk, then the text is whole (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const all = new TextEncoder().encode(text);
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const p of [...points, all.length]) {
          chunks.push(all.slice(from, p));
          from = p;
        }
        expect([...decodeChunks(chunks, 'utf-8', makeDecoder)].join('')).toBe(text);
      }),
    );
  });

  it('given Windows-1252 bytes, when decoded as Windows-1252, then € „ “ and umlauts are right', () => {
    expect(
      [
        ...decodeChunks([bytes([0x80, 0x20, 0x84, 0x61, 0x93, 0x20, 0xe4])], 'windows-1252', makeDecoder),
      ].join(''),
    ).toBe('€ „a“ ä');
  });
});
