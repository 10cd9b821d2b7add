import { type FieldError, PairingCodeSchema } from '@cxplan/core';
import * as v from 'valibot';

/** A parsed "connection line" as copied from Jira (cxplan → Connect a browser): the endpoint and the code. */
export interface ConnectionLine {
  triggerUrl: string;
  originPattern: string;
  code: string;
}

/**
 * Reads the line a person pastes: `<team web trigger URL>#<code>`. The URL must be https (plain http only for this
 * machine, where the tests serve the app); the code is the 16-character one Jira showed.
 */
export function parseConnectionLine(
  input: string,
): { ok: true; value: ConnectionLine } | { ok: false; errors: FieldError[] } {
  const text = input.trim();
  const hash = text.lastIndexOf('#');
  const fail = (message: string): { ok: false; errors: FieldError[] } => ({
    ok: false,
    errors: [{ path: 'line', message }],
  });
  if (text === '') return fail('Paste the line Jira showed under "Make a connection code".');
  if (hash < 0) return fail('The line has no code after "#": copy the whole line Jira showed.');
  let url: URL;
  try {
    url = new URL(text.slice(0, hash));
  } catch {
    return fail('The line does not start with the address Jira showed (https://…).');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return fail('The address must start with https://.');
  const code = v.safeParse(PairingCodeSchema, text.slice(hash + 1));
  if (!code.success)
    return fail('The code after "#" must be the 16 characters Jira showed (e.g. ABCD-EFGH-JKLM-NPQR).');
  return {
    ok: true,
    value: {
      triggerUrl: `${url.origin}${url.pathname}${url.search}`,
      originPattern: `${url.origin}/*`,
      code: code.output,
    },
  };
}

/** Where the retired shared-secret pairing lived (browser.storage.local), to tell its user to reconnect. */
export const LEGACY_PAIRING_KEY = 'cxplan.jiraPairing';
