import { randomBytes } from 'node:crypto';
import {
  type Action,
  type DeptGoal,
  formatSignatureHeader,
  INGEST_HEADERS,
  INGEST_PROTOCOL_VERSION,
  type IngestItemResult,
} from '@cxplan/core';
import { signIngestRequest } from '../../jira-plugin/src/ingest/verify-signature';

/**
 * Sends department goals and actions to the Jira app's ingest web trigger as one signed batch of the documented
 * protocol (shared/src/ingest/README.md): the same wire format, headers and HMAC the extension's outbox sender
 * uses for clips.
 *
 * Why the test does this and not the extension: the extension's outbox carries only `evidence.create` /
 * `evidence.update` (extension/src/outbox/outbox-item.ts); nothing in the extension queues `deptGoal` or `action`
 * items yet. The goals and actions sent here are read unchanged from the extension's IndexedDB (what its sender
 * would send); the server side — the real handler, the stored plan, the sync, the fake Jira — is not bypassed.
 * Requested in /work/notes/requests.md (e2e → X4/W5).
 */
export async function sendPlanToJira(
  triggerUrl: string,
  secret: { secret: string; keyId: string },
  plan: { deptGoals: readonly DeptGoal[]; actions: readonly Action[] },
): Promise<{ status: number; results: IngestItemResult[] }> {
  const body = JSON.stringify({
    version: INGEST_PROTOCOL_VERSION,
    sentAt: new Date().toISOString(),
    items: [
      ...plan.deptGoals.map((goal) => ({ clientId: goal.id, kind: 'deptGoal', payload: { goal } })),
      ...plan.actions.map((action) => ({ clientId: action.id, kind: 'action', payload: { action } })),
    ],
  });
  const timestamp = String(Date.now());
  const nonce = randomBytes(24).toString('base64url');
  const response = await fetch(triggerUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [INGEST_HEADERS.timestamp]: timestamp,
      [INGEST_HEADERS.nonce]: nonce,
      [INGEST_HEADERS.keyId]: secret.keyId,
      [INGEST_HEADERS.signature]: formatSignatureHeader(
        signIngestRequest(secret.secret, timestamp, nonce, body),
      ),
    },
    body,
  });
  const answer = (await response.json()) as { results?: IngestItemResult[] };
  return { status: response.status, results: answer.results ?? [] };
}
