import * as v from 'valibot';
import { type ParseResult, parseWith } from '../io/parse';
import { IngestSecretTokenSchema, keyIdOfToken } from './ingest-secret-token';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** Scheme and host of an http(s) URL, read with a regex because the core has no URL global. */
function splitOrigin(url: string): { scheme: string; host: string } | undefined {
  const match = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^/?#:@\s]+)(?::\d+)?(?:[/?#]|$)/i.exec(url);
  if (!match?.[1] || !match[2]) return undefined;
  return { scheme: match[1].toLowerCase(), host: match[2].toLowerCase() };
}

/**
 * The trigger URL pasted into the extension: an https Forge web-trigger URL, or plain http on the loopback
 * address (tests and local development only: a secret never travels unencrypted over a network).
 */
export const IngestTriggerUrlSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.url('must be the full web trigger URL, starting with https://'),
  v.check((s) => {
    const origin = splitOrigin(s);
    return origin !== undefined && (origin.scheme === 'https' || LOOPBACK.includes(origin.host));
  }, 'must use https (plain http only on 127.0.0.1 for local testing)'),
);

/** What the user pastes to pair the extension with a Jira site. */
export const IngestPairingInputSchema = v.object({
  triggerUrl: IngestTriggerUrlSchema,
  secret: IngestSecretTokenSchema,
});

/** A pairing, parsed: the URL, its origin (for the host permission), the secret and its key id. */
export interface IngestPairing {
  triggerUrl: string;
  /** Origin match pattern for `permissions.request({ origins })`, e.g. `https://x.atlassian-dev.net/*`. */
  originPattern: string;
  secret: string;
  keyId: string;
}

/** Parses what the user pasted; errors name `triggerUrl` or `secret`. */
export function parsePairingInput(input: unknown): ParseResult<IngestPairing> {
  const parsed = parseWith(IngestPairingInputSchema, input, 'pairing');
  if (!parsed.ok) return parsed;
  const { triggerUrl, secret } = parsed.value;
  const keyId = keyIdOfToken(secret) ?? '';
  const origin = splitOrigin(triggerUrl);
  if (!origin)
    return { ok: false, errors: [{ path: 'triggerUrl', message: 'triggerUrl must be an http(s) URL' }] };
  // Match patterns ignore the port, so one pattern covers the loopback test server on any port.
  return {
    ok: true,
    value: { triggerUrl, originPattern: `${origin.scheme}://${origin.host}/*`, secret, keyId },
  };
}
