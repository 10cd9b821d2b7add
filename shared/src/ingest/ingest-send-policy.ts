import { MAX_BATCH_ITEMS, MAX_BODY_BYTES } from './ingest-protocol';

/**
 * Splits queued items into batches under both limits, keeping their order. `sizeOf` is an item's serialized size
 * in bytes; `overheadBytes` reserves room for the envelope. An item too big for any batch comes back in
 * `oversized` (it can never be sent and must be reported, not retried forever).
 */
export function planBatches<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { maxItems?: number; maxBytes?: number; overheadBytes?: number } = {},
): { batches: T[][]; oversized: T[] } {
  const maxItems = limits.maxItems ?? MAX_BATCH_ITEMS;
  const budget = (limits.maxBytes ?? MAX_BODY_BYTES) - (limits.overheadBytes ?? 256);
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item) + 1; // the comma between items
    if (size > budget) {
      oversized.push(item);
      continue;
    }
    if (current.length >= maxItems || bytes + size > budget) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}

/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) as milliseconds from now; undefined when
 * absent or unreadable. Capped at one day so a broken server cannot park the outbox forever.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 86_400_000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), 86_400_000);
}

/** What the sender does with an HTTP answer. */
export type SendOutcome =
  /** 200: read the per-item results. */
  | 'accepted'
  /** 429 or 5xx, or a network failure: the same items later, after Retry-After or the backoff. */
  | 'retry-later'
  /** 409 (nonce seen) or a stale timestamp: sign again with a fresh nonce/clock and retry soon. */
  | 're-sign'
  /** 413: the batch is too big for this server; send it in halves. */
  | 'split'
  /** 401: the pairing is wrong or the secret was rotated; stop until the user pairs again. */
  | 'unpaired'
  /** 400 or another 4xx: the batch itself is wrong; its items fail with the server's message. */
  | 'rejected';

/** Maps a response status (and refusal code, when the body had one) to what the sender does next. */
export function classifyIngestStatus(status: number, refusalCode?: string): SendOutcome {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 429 || status >= 500 || status === 408) return 'retry-later';
  if (status === 409) return 're-sign';
  if (status === 413) return 'split';
  if (status === 401) return refusalCode === 'stale-timestamp' ? 're-sign' : 'unpaired';
  return 'rejected';
}

/**
 * Exponential backoff with full jitter (`random` in [0, 1) is passed in: the core has no Math.random habit in
 * tests), never shorter than the server's Retry-After.
 */
export function backoffMs(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; retryAfterMs?: number | undefined; random?: number } = {},
): number {
  const base = options.baseMs ?? 2_000;
  const max = options.maxMs ?? 15 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
  const jittered = Math.round(ceiling / 2 + (ceiling / 2) * (options.random ?? 0.5));
  return Math.max(jittered, options.retryAfterMs ?? 0);
}
