import {
  backoffMs,
  base64url,
  canonicalSigningString,
  classifyIngestStatus,
  formatSignatureHeader,
  INGEST_HEADERS,
  INGEST_PROTOCOL_VERSION,
  type IngestItemResult,
  type IngestPerson,
  IngestResponseSchema,
  parseWith,
  planBatches,
  retryAfterMs,
  toHex,
  utf8ByteLength,
} from '@cxplan/core';
import {
  markPairingBroken,
  type PairingArea,
  readPairing,
  type StoredPairing,
  saveClockOffset,
} from './jira-pairing';
import { entityKey, entityOf, type OutboxEntityKind, type OutboxItem } from './outbox/outbox-item';
import { markFailure, markSent, startSending } from './outbox/outbox-transitions';
import { batchPeople, ownerIdOf, ownerReader } from './outbox-sender-people';
import { type EvidenceRow, intentOf } from './storage/evidence-row';
import type { StorageService } from './storage/storage-service';

/** What the Jira sender needs; the background passes the real ones, tests fakes. */
export interface JiraSenderDeps {
  storage: StorageService;
  local: PairingArea;
  clock?: () => number;
  fetch?: typeof fetch;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Most items per request (the protocol allows 500); smaller in tests to exercise several batches. */
  maxItems?: number;
  /** Whether the user's data-collection consent allows sending now (Firefox, see outbox-sender-consent.ts). */
  consent?: () => Promise<boolean>;
}

/** What one drain did. */
export interface JiraSendReport {
  skipped?: 'not-paired' | 'pairing-broken' | 'no-consent' | 'nothing-due';
  requests: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** One item of a batch: the envelope sent, the owner it names (goals, actions) and the outbox entries it settles. */
interface Pending {
  envelope: { clientId: string; kind: OutboxEntityKind; payload: unknown };
  owner?: IngestPerson | undefined;
  entries: OutboxItem[];
}

type Settle =
  | { ok: true; jiraKey?: string | undefined }
  | { ok: false; error: string; permanent: boolean; retryAfterMs?: number | undefined };

let running: Promise<JiraSendReport> | undefined;

/**
 * Sends every due outbox entry to the paired Jira site in signed batches, then records each entry's outcome
 * with the outbox state machine. One drain runs at a time. A capture stays in the outbox until the server has
 * answered for it (created, updated or duplicate), so nothing is lost; the server's idempotency on client ids
 * makes a resend after a lost answer harmless, so nothing is duplicated.
 */
export function drainOutboxToJira(deps: JiraSenderDeps): Promise<JiraSendReport> {
  if (!running) {
    running = drain(deps).finally(() => {
      running = undefined;
    });
  }
  return running;
}

async function drain(deps: JiraSenderDeps): Promise<JiraSendReport> {
  const clock = deps.clock ?? Date.now;
  const report: JiraSendReport = { requests: 0, sent: 0, retrying: 0, failed: 0 };
  const pairing = await readPairing(deps.local);
  if (!pairing) return { ...report, skipped: 'not-paired' };
  if (pairing.broken) return { ...report, skipped: 'pairing-broken' };
  if (deps.consent && !(await deps.consent())) return { ...report, skipped: 'no-consent' };

  const claimed: OutboxItem[] = [];
  for (const item of await deps.storage.dueOutboxItems(clock())) {
    const next = startSending(item, clock());
    if (!next) continue;
    await deps.storage.putOutboxItem(next); // saved before the network call: a dying worker is recovered later
    claimed.push(next);
  }
  if (claimed.length === 0) return { ...report, skipped: 'nothing-due' };

  const settle = async (entry: OutboxItem, outcome: Settle): Promise<void> => {
    const now = clock();
    let next: OutboxItem;
    if (outcome.ok) next = markSent(entry, now, outcome.jiraKey);
    else {
      next = markFailure(entry, outcome.error, now, outcome.permanent);
      if (next.status === 'pending') {
        const wait = backoffMs(entry.attempts, {
          retryAfterMs: outcome.retryAfterMs,
          random: (deps.random ?? Math.random)(),
        });
        next = { ...next, nextAttemptAt: now + wait };
      }
    }
    await deps.storage.putOutboxItem(next);
    if (next.status === 'sent') report.sent++;
    else if (next.status === 'failed') report.failed++;
    else report.retrying++;
  };

  // One envelope per entity, however many entries (create, then update after tagging) wait for it. Goals go
  // before actions (the Jira side files an action under its goal), clips first as before.
  const byEntity = new Map<string, OutboxItem[]>();
  for (const entry of claimed) {
    const key = entityKey(entry.operation);
    byEntity.set(key, [...(byEntity.get(key) ?? []), entry]);
  }
  const ORDER: Record<OutboxEntityKind, number> = { evidence: 0, deptGoal: 1, action: 2 };
  const groups = [...byEntity.values()].sort(
    (a, b) =>
      ORDER[entityOf((a[0] as OutboxItem).operation).kind] -
      ORDER[entityOf((b[0] as OutboxItem).operation).kind],
  );
  const pending: Pending[] = [];
  const readOwner = ownerReader(deps.storage);
  for (const entries of groups) {
    const { kind, id } = entityOf((entries[0] as OutboxItem).operation);
    let envelope: Pending['envelope'] | undefined;
    let why = `the ${LABEL[kind]} was deleted before it was sent`;
    try {
      envelope = await readEnvelope(deps.storage, kind, id);
    } catch (error) {
      why = `the stored ${LABEL[kind]} is unreadable: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (!envelope) {
      for (const entry of entries) await settle(entry, { ok: false, error: why, permanent: true });
      continue;
    }
    const ownerId = ownerIdOf(envelope);
    pending.push({ envelope, entries, owner: ownerId === undefined ? undefined : await readOwner(ownerId) });
  }

  // An item's size counts its owner's `people` entry too (an over-estimate when owners repeat), so a batch with
  // its people still fits the body limit.
  const sizeOf = (p: Pending): number =>
    utf8ByteLength(JSON.stringify(p.envelope)) + (p.owner ? utf8ByteLength(JSON.stringify(p.owner)) + 1 : 0);
  const { batches, oversized } = planBatches(pending, sizeOf, {
    ...(deps.maxItems !== undefined && { maxItems: deps.maxItems }),
  });
  for (const p of oversized) {
    for (const entry of p.entries)
      await settle(entry, {
        ok: false,
        error: `the ${LABEL[p.envelope.kind]} is too large to send to Jira`,
        permanent: true,
      });
  }

  // After a retryable failure the batches not yet tried are put back untouched (no attempt counted), due when
  // the failed one is retried.
  let stop: { until: number; error: string } | undefined;
  const queue = [...batches];
  while (queue.length > 0) {
    const batch = queue.shift() as Pending[];
    if (stop) {
      for (const p of batch) {
        for (const entry of p.entries) {
          await deps.storage.putOutboxItem(unclaim(entry, stop.until, stop.error));
          report.retrying++;
        }
      }
      continue;
    }
    const answer = await postBatch(batch, pairing, deps, clock, report);
    switch (answer.kind) {
      case 'results': {
        const byId = new Map(answer.results.map((r) => [`${r.kind}:${r.clientId}`, r]));
        for (const p of batch) {
          const r = byId.get(`${p.envelope.kind}:${p.envelope.clientId}`);
          const outcome: Settle = !r
            ? {
                ok: false,
                error: `the server did not answer for this ${LABEL[p.envelope.kind]}`,
                permanent: false,
              }
            : r.status === 'rejected'
              ? { ok: false, error: r.reason, permanent: !r.retryable }
              : { ok: true, jiraKey: r.jiraKey };
          for (const entry of p.entries) await settle(entry, outcome);
        }
        break;
      }
      case 'split': {
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, half), batch.slice(half));
        } else {
          for (const entry of batch[0]?.entries ?? [])
            await settle(entry, { ok: false, error: answer.message, permanent: true });
        }
        break;
      }
      case 'unpaired': {
        await markPairingBroken(deps.local, answer.code, answer.message, clock());
        // Not the clips' fault: give the attempt back and wait for the user to pair again.
        for (const p of [...batch, ...queue.flat()]) {
          for (const entry of p.entries) {
            await deps.storage.putOutboxItem(unclaim(entry, clock(), 'paused: pair with Jira again'));
          }
        }
        queue.length = 0;
        break;
      }
      case 'rejected':
        for (const p of batch)
          for (const entry of p.entries)
            await settle(entry, { ok: false, error: answer.message, permanent: true });
        break;
      case 'retry': {
        // The server or the network is struggling: this batch and the rest wait for the backoff.
        const failure: Settle = {
          ok: false,
          error: answer.message,
          permanent: false,
          retryAfterMs: answer.retryAfterMs,
        };
        for (const p of batch) for (const entry of p.entries) await settle(entry, failure);
        const wait = backoffMs(1, {
          retryAfterMs: answer.retryAfterMs,
          random: (deps.random ?? Math.random)(),
        });
        stop = { until: clock() + wait, error: answer.message };
        break;
      }
    }
  }
  return report;
}

type Answer =
  | { kind: 'results'; results: IngestItemResult[] }
  | { kind: 'retry'; message: string; retryAfterMs?: number | undefined }
  | { kind: 'split'; message: string }
  | { kind: 'unpaired'; code: string; message: string }
  | { kind: 'rejected'; message: string };

/** Signs and posts one batch; signs once more with a fresh nonce (and corrected clock) when asked to. */
async function postBatch(
  batch: readonly Pending[],
  pairing: StoredPairing,
  deps: JiraSenderDeps,
  clock: () => number,
  report: JiraSendReport,
): Promise<Answer> {
  // Only the owners of this batch's goals and actions go with it (data minimisation: no one else's details leave
  // the browser); a batch of clips only carries no `people` at all.
  const people = batchPeople(batch.map((p) => p.owner));
  const body = JSON.stringify({
    version: INGEST_PROTOCOL_VERSION,
    sentAt: new Date(clock()).toISOString(),
    items: batch.map((p) => p.envelope),
    ...(people.length > 0 && { people }),
  });
  let offset = pairing.clockOffsetMs;
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = clock();
    let response: Response;
    try {
      report.requests++;
      response = await (deps.fetch ?? fetch)(pairing.triggerUrl, {
        method: 'POST',
        headers: await signedHeaders(pairing, body, now + offset),
        body,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      return {
        kind: 'retry',
        message: `Jira could not be reached (${error instanceof Error ? error.message : String(error)})`,
      };
    }
    const text = await response.text().catch(() => '');
    const parsed = parseWith(IngestResponseSchema, safeJson(text), 'response');
    const refusal = parsed.ok && !parsed.value.ok ? parsed.value : undefined;
    const outcome = classifyIngestStatus(response.status, refusal?.code);
    const message = refusal?.message ?? `HTTP ${response.status}`;
    switch (outcome) {
      case 'accepted':
        if (parsed.ok && parsed.value.ok) return { kind: 'results', results: parsed.value.results };
        return { kind: 'retry', message: 'the server answered with something that is not an ingest result' };
      case 're-sign':
        if (refusal?.code === 'stale-timestamp' && refusal.serverTime) {
          offset = Date.parse(refusal.serverTime) - clock();
          await saveClockOffset(deps.local, offset);
        }
        if (attempt === 0) continue;
        return { kind: 'retry', message };
      case 'retry-later':
        return {
          kind: 'retry',
          message,
          retryAfterMs: retryAfterMs(response.headers.get('Retry-After'), clock()),
        };
      case 'split':
        return { kind: 'split', message };
      case 'unpaired':
        return { kind: 'unpaired', code: refusal?.code ?? 'bad-signature', message };
      case 'rejected':
        return { kind: 'rejected', message };
    }
  }
  return { kind: 'retry', message: 'the request could not be signed acceptably' };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** How the sender names each kind in messages. */
const LABEL: Record<OutboxEntityKind, string> = {
  evidence: 'clip',
  deptGoal: 'department goal',
  action: 'action',
};

/**
 * The wire envelope of an entity as stored now (the newest version wins; its id is the client id): a clip with
 * what it was captured as, a department goal, or an action. Undefined when the row is gone.
 */
async function readEnvelope(
  storage: StorageService,
  kind: OutboxEntityKind,
  id: string,
): Promise<Pending['envelope'] | undefined> {
  switch (kind) {
    case 'evidence': {
      const row: EvidenceRow | undefined = await storage.getEvidence(id);
      return row && { clientId: row.id, kind, payload: { evidence: row, intent: intentOf(row) } };
    }
    case 'deptGoal': {
      const goal = await storage.get('deptGoals', id);
      return goal && { clientId: goal.id, kind, payload: { goal } };
    }
    case 'action': {
      const action = await storage.get('actions', id);
      return action && { clientId: action.id, kind, payload: { action } };
    }
  }
}

/** A claimed entry put back as it was before the claim (the attempt is not counted), due at `at`. */
function unclaim(entry: OutboxItem, at: number, lastError: string): OutboxItem {
  const { id, operation, createdAt } = entry;
  return {
    id,
    operation,
    createdAt,
    attempts: Math.max(entry.attempts - 1, 0),
    status: 'pending',
    nextAttemptAt: at,
    lastError,
  };
}

/** The four signing headers for a body, HMAC-SHA256 with WebCrypto. */
export async function signedHeaders(
  pairing: Pick<StoredPairing, 'secret' | 'keyId'>,
  body: string,
  timestampMs: number,
): Promise<Record<string, string>> {
  const timestamp = String(Math.round(timestampMs));
  const nonce = base64url(crypto.getRandomValues(new Uint8Array(18)));
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(pairing.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const digest = await crypto.subtle.sign(
    'HMAC',
    key,
    enc.encode(canonicalSigningString(timestamp, nonce, body)),
  );
  return {
    'Content-Type': 'application/json',
    [INGEST_HEADERS.timestamp]: timestamp,
    [INGEST_HEADERS.nonce]: nonce,
    [INGEST_HEADERS.signature]: formatSignatureHeader(toHex(new Uint8Array(digest))),
    [INGEST_HEADERS.keyId]: pairing.keyId,
  };
}
