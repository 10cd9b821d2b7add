import {
  checkBodySize,
  checkTimestamp,
  INGEST_PROTOCOL_VERSION,
  type IngestAccepted,
  type IngestItemResult,
  type IngestPerson,
  type IngestRefusal,
  type IngestRefused,
  parseIngestBody,
  parseIngestItem,
  readSignedHeaders,
  refuse,
} from '@cxplan/core';
import type { WebTriggerRequest, WebTriggerResponse } from '@forge/api';
import { type EvidenceInput, type StoreCalls, storeEvidence } from './evidence-store';
import type { IngestKvs } from './ingest-kvs';
import { readIngestSecret } from './ingest-secret';
import { claimNonce } from './nonce-store';
import type { PlanItem, PlanItemSink } from './plan-item-sink';
import { signatureMatches } from './verify-signature';

/** What the ingest handler needs from the outside world; Forge passes the real ones, tests in-memory ones. */
export interface IngestDeps {
  kv: IngestKvs;
  /** Writes goals and actions to Jira; without one they are rejected (evidence still goes through). */
  plan?: PlanItemSink | undefined;
  now?: () => number;
  /** Incremented per storage call, for the benchmark. */
  calls?: StoreCalls;
}

/** The subset of a Forge web-trigger request the handler reads. */
export type IngestRequest = Pick<WebTriggerRequest, 'method' | 'headers' | 'body'>;

const JSON_HEADERS = { 'Content-Type': ['application/json; charset=utf-8'], 'Cache-Control': ['no-store'] };

function respond(
  statusCode: number,
  body: IngestAccepted | IngestRefused,
  extra: Record<string, string[]> = {},
): WebTriggerResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(body) };
}

function refusal(r: IngestRefusal, now: number): WebTriggerResponse {
  const body: IngestRefused = {
    ok: false,
    code: r.code,
    message: r.message,
    serverTime: new Date(now).toISOString(),
  };
  if (r.errors) body.errors = r.errors;
  return respond(r.status, body);
}

/**
 * Builds the ingest web-trigger handler (dynamic response). Order matters: size (413) before reading anything,
 * the signature (401) before the body is parsed, the clock window (401) and the nonce (409) before any item is
 * stored, then the batch schema (400); then each item gets its own result, idempotently by client id.
 */
export function createIngestHandler(
  deps: IngestDeps,
): (request: IngestRequest) => Promise<WebTriggerResponse> {
  const clock = deps.now ?? Date.now;
  return async (request) => {
    const now = clock();
    try {
      if (request.method !== 'POST') {
        return refusal(
          refuse('method-not-allowed', `Use POST to send a batch (got ${request.method}).`),
          now,
        );
      }
      const body = request.body ?? '';
      const tooLarge = checkBodySize(body);
      if (tooLarge) return refusal(tooLarge, now);

      const headers = readSignedHeaders(request.headers ?? {});
      if ('status' in headers) return refusal(headers, now);

      const secret = await readIngestSecret(deps.kv);
      if (!secret) {
        return refusal(
          refuse(
            'not-paired',
            'Ingest is not set up: a Jira admin generates the secret on the cxplan admin page.',
          ),
          now,
        );
      }
      if (headers.keyId !== secret.keyId) {
        return refusal(
          refuse(
            'key-rotated',
            'The request was signed with a secret that is no longer current: pair the extension again with the new secret.',
          ),
          now,
        );
      }
      if (!signatureMatches(secret.token, { ...headers, body })) {
        return refusal(
          refuse(
            'bad-signature',
            'The signature does not match the request: it was altered or signed with another secret.',
          ),
          now,
        );
      }
      const stale = checkTimestamp(headers.timestampMs, now);
      if (stale) return refusal(stale, now);
      if ((await claimNonce(deps.kv, headers.nonce, now)) === 'replayed') {
        return refusal(
          refuse(
            'replayed-nonce',
            'This request was already received (its nonce was used before): sign it again with a new nonce.',
          ),
          now,
        );
      }

      const parsed = parseIngestBody(body);
      if (!parsed.ok) return refusal(parsed.refusal, now);

      const results = await applyItems(deps, parsed.batch.items, parsed.batch.people, now);
      return respond(200, {
        ok: true,
        version: INGEST_PROTOCOL_VERSION,
        serverTime: new Date(now).toISOString(),
        results,
      });
    } catch (error) {
      // Storage or Jira failed as a whole: nothing is half-acknowledged, the sender retries the batch later.
      const message = error instanceof Error ? error.message : String(error);
      console.error('cxplan ingest failed', message);
      const r = refusal(
        refuse('unavailable', 'The Jira app could not store the batch just now; try again shortly.'),
        now,
      );
      return { ...r, headers: { ...r.headers, 'Retry-After': ['30'] } };
    }
  };
}

async function applyItems(
  deps: IngestDeps,
  envelopes: Parameters<typeof parseIngestItem>[0][],
  people: readonly IngestPerson[],
  now: number,
): Promise<IngestItemResult[]> {
  const results = new Map<string, IngestItemResult>();
  const evidence: EvidenceInput[] = [];
  const planItems: PlanItem[] = [];
  const keyOf = (kind: string, clientId: string): string => `${kind}:${clientId}`;

  for (const envelope of envelopes) {
    const parsed = parseIngestItem(envelope);
    if (!parsed.ok) {
      results.set(keyOf(envelope.kind, envelope.clientId), {
        clientId: envelope.clientId,
        kind: envelope.kind,
        status: 'rejected',
        retryable: false,
        reason: parsed.errors[0]?.message ?? 'payload is invalid',
        errors: parsed.errors,
      });
      continue;
    }
    const item = parsed.value;
    if (item.kind === 'evidence') {
      // The core Evidence carries its intent now; the item-level one is for senders that predate it.
      const intent = item.payload.evidence.intent ?? item.payload.intent;
      evidence.push({
        clientId: item.clientId,
        evidence: { ...item.payload.evidence, intent },
        intent,
      });
    } else if (item.kind === 'deptGoal') {
      planItems.push({ clientId: item.clientId, kind: 'deptGoal', goal: item.payload.goal });
    } else {
      planItems.push({ clientId: item.clientId, kind: 'action', action: item.payload.action });
    }
  }

  if (evidence.length > 0) {
    for (const [clientId, r] of await storeEvidence(deps.kv, evidence, now, deps.calls))
      results.set(keyOf('evidence', clientId), r);
  }
  if (planItems.length > 0) {
    if (deps.plan) {
      for (const r of (await deps.plan.apply(planItems, people)).values())
        results.set(keyOf(r.kind, r.clientId), r);
    }
    for (const item of planItems) {
      if (results.has(keyOf(item.kind, item.clientId))) continue;
      results.set(keyOf(item.kind, item.clientId), {
        clientId: item.clientId,
        kind: item.kind,
        status: 'rejected',
        retryable: true,
        reason: deps.plan
          ? 'Jira did not answer for this item in time; it will be sent again.'
          : 'The Jira project for goals and actions is not configured yet (cxplan admin page).',
      });
    }
  }
  // One result per item, in the order sent.
  return envelopes.map((e) => results.get(keyOf(e.kind, e.clientId)) as IngestItemResult);
}
