/** Query parameters that only track a visit; they are dropped so the same page is recognised as the same page. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'igshid',
  'yclid',
  'ref_src',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
]);

/**
 * The URL of a page without tracking parameters (`utm_*`, click ids …) and without a `:~:text=` fragment
 * directive. Other parameters and ordinary fragments are kept: they often select the content (a review id, a tab).
 * Returns the input unchanged when it is not an absolute URL.
 */
export function cleanUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return input;
  }
  for (const key of [...url.searchParams.keys()]) {
    const k = key.toLowerCase();
    if (k.startsWith('utm_') || TRACKING_PARAMS.has(k)) url.searchParams.delete(key);
  }
  const directive = url.hash.indexOf(':~:');
  if (directive !== -1) url.hash = url.hash.slice(0, directive).replace(/^#$/, '');
  return url.toString();
}
