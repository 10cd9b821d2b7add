/**
 * Which encoding a survey export's bytes are in. Exports come as UTF-8 (with a byte-order mark from Excel's
 * "CSV UTF-8", without from most web tools), UTF-16 (Excel's "Unicode text", with a mark) or Windows-1252 (plain
 * "CSV" saved by Excel on a Western European Windows). The platform's `TextDecoder` does the decoding and the
 * strict UTF-8 check; the core only decides, so it takes a decoder factory instead of touching a platform API.
 */

/** The encodings cxplan reads exports in. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The encodings a user can choose, with what to call them. */
export const TEXT_ENCODINGS: readonly { name: TextEncodingName; label: string }[] = [
  { name: 'utf-8', label: 'UTF-8' },
  { name: 'utf-16le', label: 'UTF-16 LE (Excel “Unicode text”)' },
  { name: 'utf-16be', label: 'UTF-16 BE' },
  { name: 'windows-1252', label: 'Windows-1252 (Excel “CSV”, Western Europe)' },
];

/** The part of WHATWG `TextDecoder` the core needs. */
export interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Makes a decoder (in a browser or Node: `(name, o) => new TextDecoder(name, o)`); `fatal` throws on bad bytes. */
export type MakeTextDecoder = (encoding: TextEncodingName, options: { fatal: boolean }) => TextDecoderLike;

/** The encoding chosen for some bytes, whether they start with a byte-order mark, and why, in words. */
export interface EncodingGuess {
  encoding: TextEncodingName;
  bom: boolean;
  why: string;
}

/** The byte-order mark the bytes start with, if any. */
function byteOrderMark(bytes: Uint8Array): TextEncodingName | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Text of Latin letters in UTF-16 has a zero byte in every other position: the high byte of each character. Most
 * such text in a CSV (digits, separators, Latin letters) does, so a third of pairs is plenty and text in any
 * 8-bit encoding, which has no zero bytes, never gets there.
 */
function utf16Without(bytes: Uint8Array): TextEncodingName | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs / 3 && evenZeros < pairs / 20) return 'utf-16le';
  if (evenZeros > pairs / 3 && oddZeros < pairs / 20) return 'utf-16be';
  return undefined;
}

/**
 * Guesses the encoding of an export from its first bytes: a byte-order mark decides; else UTF-16's zero bytes;
 * else the bytes are UTF-8 when a strict decoder takes them, and Windows-1252 when it does not (the usual reason:
 * a file saved as plain "CSV" by Excel on Windows, where "spät" is 0x73 0x70 0xE4 0x74). Pass `complete: false`
 * when `sample` is only the start of the file, so a character cut at its end is not held against UTF-8.
 */
export function sniffTextEncoding(
  sample: Uint8Array,
  makeDecoder: MakeTextDecoder,
  complete = true,
): EncodingGuess {
  const bom = byteOrderMark(sample);
  if (bom !== undefined) return { encoding: bom, bom: true, why: 'the file starts with its byte-order mark' };
  const utf16 = utf16Without(sample);
  if (utf16 !== undefined)
    return { encoding: utf16, bom: false, why: 'every other byte is zero, as in UTF-16 text' };
  let ascii = true;
  for (let i = 0; i < sample.length; i++)
    if ((sample[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii)
    return {
      encoding: 'utf-8',
      bom: false,
      why: 'the start of the file is plain ASCII (UTF-8 and Windows-1252 read it alike)',
    };
  try {
    makeDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return { encoding: 'utf-8', bom: false, why: 'the bytes are valid UTF-8' };
  } catch {
    return {
      encoding: 'windows-1252',
      bom: false,
      why: 'the bytes are not valid UTF-8: read as Windows-1252, as Excel saves “CSV” on Western European Windows',
    };
  }
}

/** Decodes a sequence of byte chunks as text chunks (a character split between chunks is kept whole). */
export function* decodeChunks(
  chunks: Iterable<Uint8Array>,
  encoding: TextEncodingName,
  makeDecoder: MakeTextDecoder,
  fatal = false,
): Generator<string> {
  const decoder = makeDecoder(encoding, { fatal });
  for (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
