/**
 * A `TextDecoder` factory for tests run in Node that decodes as browsers do. Node ≥ 20.18.3 decodes
 * `windows-1252` as Latin-1 (bytes 0x80–0x9F become C1 controls instead of €, „, “ …): nodejs/node#60888,
 * nodejs/node#56542. Browsers follow the WHATWG Encoding Standard, and the extension runs in browsers, so unit
 * tests decode those 32 bytes from the standard's table. Used only while Node's own decoder is wrong.
 */

/** WHATWG index-windows-1252 for 0x80–0x9F (the rest of windows-1252 is Latin-1). */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

const nodeIsWrong = new TextDecoder('windows-1252').decode(Uint8Array.of(0x80)) !== '€';

class Windows1252Decoder {
  decode(input?: Uint8Array): string {
    let out = '';
    for (const b of input ?? [])
      out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? (HIGH[b - 0x80] as number) : b);
    return out;
  }
}

/** Makes a decoder as a browser would (see above); the core's `MakeTextDecoder` shape. */
export function makeWhatwgTextDecoder(
  encoding: string,
  options: { fatal: boolean },
): { decode(input?: Uint8Array, options?: { stream?: boolean }): string } {
  return encoding === 'windows-1252' && nodeIsWrong
    ? new Windows1252Decoder()
    : new TextDecoder(encoding, options);
}
