/**
 * How a clip's body is stored in `cx_evidence.body`: compact, and lossless. A million clips must fit in the 1 GiB an
 * installation gets, and most of a clip's JSON is repetition: the field names on every row, the selected text
 * again in the W3C quote selector, the page address again as the target's source. So the stored JSON uses short
 * names and drops what can be restored exactly: the quote's `exact` when it is the clip's text, the target's
 * `source` when it is the origin's URL, an empty driver list. `decodeClip(encodeClip(x))` is `x` for every clip
 * (a property test holds it to that).
 */

/** A clip body as the core models it (Evidence without its id, which the id column holds). */
type Body = Record<string, unknown>;
type Obj = Record<string, unknown>;

/** Short names of the clip's own fields (anything not listed is stored under its own name). */
const FIELDS: Readonly<Record<string, string>> = {
  text: 't',
  sourceKind: 'k',
  origin: 'o',
  partnerName: 'pn',
  segment: 'sg',
  stageId: 's',
  eventId: 'e',
  touchpointId: 'tp',
  sentiment: 'm',
  drivers: 'd',
  score: 'sc',
  target: 'g',
  intent: 'i',
  taggedAt: 'ta',
};
const ORIGIN: Readonly<Record<string, string>> = {
  url: 'u',
  title: 'h',
  capturedBy: 'b',
  capturedById: 'bi',
  capturedAt: 'a',
  givenAt: 'ga',
  via: 'v',
  file: 'f',
  line: 'l',
};

const invert = (m: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));
const FIELDS_BACK = invert(FIELDS);
const ORIGIN_BACK = invert(ORIGIN);

function rename(object: Obj, names: Readonly<Record<string, string>>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(object)) if (v !== undefined) out[names[k] ?? k] = v;
  return out;
}

/** The stored JSON of a clip body. */
export function encodeClip(body: Readonly<Body>): string {
  const { id: _id, ...rest } = body;
  const clip: Obj = { ...rest };
  if (Array.isArray(clip.drivers) && clip.drivers.length === 0) delete clip.drivers;
  const origin = clip.origin as Obj | undefined;
  const target = clip.target as Obj | undefined;
  if (target) {
    const t: Obj = { ...target };
    if (origin && t.source === origin.url) delete t.source;
    // The selectors' `type`s are constants of the W3C model: implied by where they sit.
    const { type: _quote, ...quote } = t.quote as Obj;
    if (quote.exact === clip.text) {
      delete quote.exact;
      quote.x = 1;
    }
    t.quote = quote;
    if (t.position) {
      const { type: _position, ...position } = t.position as Obj;
      t.position = position;
    }
    clip.target = t;
  }
  if (origin) clip.origin = rename(origin, ORIGIN);
  return JSON.stringify(rename(clip, FIELDS));
}

/** A clip body from its stored JSON (the exact body that was encoded). */
export function decodeClip(json: string): Body {
  const clip = rename(JSON.parse(json) as Obj, FIELDS_BACK);
  if (clip.origin) clip.origin = rename(clip.origin as Obj, ORIGIN_BACK);
  if (clip.drivers === undefined) clip.drivers = [];
  const target = clip.target as Obj | undefined;
  if (target) {
    const t: Obj = { ...target };
    if (t.source === undefined) t.source = (clip.origin as Obj | undefined)?.url;
    const { x: same, ...quote } = t.quote as Obj;
    t.quote = { type: 'TextQuoteSelector', ...(same === 1 ? { exact: clip.text } : {}), ...quote };
    if (t.position) t.position = { type: 'TextPositionSelector', ...(t.position as Obj) };
    // Key order as the core's schema writes it, so a decoded body equals the original field for field.
    clip.target = {
      source: t.source,
      ...Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'source')),
    };
  }
  return clip;
}
