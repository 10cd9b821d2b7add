import { createHash } from 'node:crypto';
import { canonicalJson, type Evidence, type IngestItemResult } from '@cxplan/core';
import { evidenceKey, type IngestKvs, KVS_BATCH_LIMIT, KVS_VALUE_LIMIT_BYTES } from './ingest-kvs';

/** A capture as stored in KVS: the core Evidence, what it was captured as, and a hash of both for idempotency. */
export interface StoredEvidence {
  evidence: Evidence;
  intent: 'feedback' | 'goal' | 'action';
  /** SHA-256 of the canonical JSON of evidence + intent: equal content, equal hash. */
  hash: string;
  receivedAt: string;
  updatedAt: string;
}

/** One evidence item to store, already parsed. */
export interface EvidenceInput {
  clientId: string;
  evidence: Evidence;
  intent: 'feedback' | 'goal' | 'action';
}

/** Counts of storage calls, for the benchmark and tests. */
export interface StoreCalls {
  batchGet: number;
  batchSet: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores captures idempotently by client id: a new id is created; the same id with the same content is a
 * duplicate and nothing is written; the same id with changed content (e.g. tagged after the first send) is
 * updated. Reads and writes go in batches of 25 keys; a key KVS fails to write is rejected as retryable.
 */
export async function storeEvidence(
  kv: IngestKvs,
  inputs: readonly EvidenceInput[],
  now: number,
  calls: StoreCalls = { batchGet: 0, batchSet: 0 },
): Promise<Map<string, IngestItemResult>> {
  const results = new Map<string, IngestItemResult>();
  const at = new Date(now).toISOString();
  const existing = new Map<string, StoredEvidence>();
  for (const chunk of chunks(inputs, KVS_BATCH_LIMIT)) {
    calls.batchGet++;
    const got = await kv.batchGet<StoredEvidence>(chunk.map((i) => ({ key: evidenceKey(i.clientId) })));
    for (const row of got.successfulKeys) if (row.value) existing.set(row.key, row.value);
  }

  const writes: Array<{
    key: string;
    value: StoredEvidence;
    clientId: string;
    status: 'created' | 'updated';
  }> = [];
  for (const input of inputs) {
    const key = evidenceKey(input.clientId);
    const hash = createHash('sha256')
      .update(canonicalJson({ evidence: input.evidence, intent: input.intent }))
      .digest('hex');
    const before = existing.get(key);
    if (before?.hash === hash) {
      results.set(input.clientId, { clientId: input.clientId, kind: 'evidence', status: 'duplicate' });
      continue;
    }
    const value: StoredEvidence = {
      evidence: input.evidence,
      intent: input.intent,
      hash,
      receivedAt: before?.receivedAt ?? at,
      updatedAt: at,
    };
    if (Buffer.byteLength(JSON.stringify(value)) > KVS_VALUE_LIMIT_BYTES) {
      results.set(input.clientId, {
        clientId: input.clientId,
        kind: 'evidence',
        status: 'rejected',
        retryable: false,
        reason: `payload.evidence is larger than the ${KVS_VALUE_LIMIT_BYTES / 1024} KiB Jira app storage allows per capture; shorten the text`,
      });
      continue;
    }
    writes.push({ key, value, clientId: input.clientId, status: before ? 'updated' : 'created' });
  }

  for (const chunk of chunks(writes, KVS_BATCH_LIMIT)) {
    calls.batchSet++;
    const outcome = await kv.batchSet(chunk.map(({ key, value }) => ({ key, value })));
    const failed = new Map(outcome.failedKeys.map((f) => [f.key, f.error.message]));
    for (const w of chunk) {
      const error = failed.get(w.key);
      results.set(
        w.clientId,
        error === undefined
          ? { clientId: w.clientId, kind: 'evidence', status: w.status }
          : {
              clientId: w.clientId,
              kind: 'evidence',
              status: 'rejected',
              retryable: true,
              reason: `storage refused it: ${error}`,
            },
      );
    }
  }
  return results;
}

/** Reads stored captures by id (for the issue panel's evidence quotes); unknown ids are left out. */
export async function readEvidence(kv: IngestKvs, ids: readonly string[]): Promise<StoredEvidence[]> {
  const out: StoredEvidence[] = [];
  for (const chunk of chunks([...new Set(ids)], KVS_BATCH_LIMIT)) {
    const got = await kv.batchGet<StoredEvidence>(chunk.map((id) => ({ key: evidenceKey(id) })));
    for (const row of got.successfulKeys) if (row.value) out.push(row.value);
  }
  return out;
}
