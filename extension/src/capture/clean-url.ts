/** Query parameters that only track where a visitor came from; they are dropped from stored page URLs. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'ref_src',
  'spm',
]);

/**
 * The page URL as stored with a clip: tracking parameters (utm_* and the click ids above) removed and a
 * `:~:text=` fragment directive dropped, so the same page gives the same URL however the user arrived.
 * Temporary here until the core has `cleanUrl` (requested in notes/requests.md).
 */
export function cleanUrl(raw: string): string {
  const url = new URL(raw);
  for (const key of [...url.searchParams.keys()]) {
    if (key.toLowerCase().startsWith('utm_') || TRACKING_PARAMS.has(key.toLowerCase()))
      url.searchParams.delete(key);
  }
  const directive = url.hash.indexOf(':~:');
  if (directive >= 0) url.hash = url.hash.slice(0, directive).replace(/^#$/, '');
  return url.toString().replace(/\?$/, '').replace(/#$/, '');
}
