import { RECONNECT_MESSAGE } from '@cxplan/core';
import type { WebTriggerResponse } from '@forge/api';

/**
 * The retired `cxplan-ingest` web trigger (dynamic response). Extensions paired with the old shared installation
 * secret still post their batches here; the module stays so they get a clear answer instead of a 404: every
 * request is refused with `reconnect` and the sentence telling the person to connect their browser again from
 * Jira. Nothing is read or stored, and the extension keeps everything it had queued.
 */
export async function handler(_request?: unknown): Promise<WebTriggerResponse> {
  return {
    statusCode: 401,
    headers: { 'Content-Type': ['application/json; charset=utf-8'], 'Cache-Control': ['no-store'] },
    body: JSON.stringify({ ok: false, code: 'reconnect', message: RECONNECT_MESSAGE }),
  };
}
