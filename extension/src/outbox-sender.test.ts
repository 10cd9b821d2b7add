import { INGEST_HEADERS, IngestBatchSchema, parseWith } from '@cxplan/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { PAIRING_KEY, type PairingArea, readPairing, type StoredPairing } from './jira-pairing';
import { entityOf, type OutboxItem } from './outbox/outbox-item';
import { drainOutboxToJira } from './outbox-sender';
import { CxplanDb } from './storage/db';
import { StorageService } from './storage/storage-service';
import { sampleClip } from './storage/test-fixtures';

const T0 = Date.UTC(2026, 10, 23, 10);
let now = T0;
let storage: StorageService;
let local: MemoryArea;
let n = 0;

class MemoryArea implements PairingArea {
  data = new Map<string, unknown>();
  async get(key: string): Promise<Record<string, unknown>> {
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

const pairing: StoredPairing = {
  triggerUrl: 'https://site.example/x1/trigger',
  originPattern: 'https://site.example/*',
  secret: `cxp1.k_12345678.${'A'.repeat(43)}`,
  keyId: 'k_12345678',
  pairedAt: '2026-11-23T09:00:00.000Z',
  clockOffsetMs: 0,
};

interface Seen {
  headers: Record<string, string>;
  clientIds: string[];
  payloads: unknown[];
}

/** A scripted server: each call takes the next answer (a status, or a function of the request). */
function scriptedFetch(answers: Array<number | ((seen: Seen) => Response)>): typeof fetch & { seen: Seen[] } {
  const seen: Seen[] = [];
  const fn = (async (_url: string, init: RequestInit) => {
    const body = parseWith(IngestBatchSchema, JSON.parse(String(init.body)));
    if (!body.ok) throw new Error(`the sender sent an invalid batch: ${JSON.stringify(body.errors)}`);
    const s: Seen = {
      headers: init.headers as Record<string, string>,
      clientIds: body.value.items.map((i) => i.clientId),
      payloads: body.value.items.map((i) => i.payload),
    };
    seen.push(s);
    const next = answers.shift() ?? 200;
    if (typeof next === 'function') return next(s);
    if (next === 200) return accept(s.clientIds);
    return new Response(
      JSON.stringify({
        ok: false,
        code: 'unavailable',
        message: `HTTP ${next}`,
        serverTime: new Date(now).toISOString(),
      }),
      {
        status: next,
        headers: next === 503 || next === 429 ? { 'Retry-After': '7' } : {},
      },
    );
  }) as typeof fetch & { seen: Seen[] };
  fn.seen = seen;
  return fn;
}

function accept(ids: string[], status: (id: string) => object = () => ({ status: 'created' })): Response {
  return Response.json({
    ok: true,
    version: 1,
    serverTime: new Date(now).toISOString(),
    results: ids.map((clientId) => ({ clientId, kind: 'evidence', ...status(clientId) })),
  });
}

const drain = (fetchFn: typeof fetch, extra: { maxItems?: number } = {}) =>
  drainOutboxToJira({ storage, local, clock: () => now, fetch: fetchFn, random: () => 0.5, ...extra });

beforeEach(async () => {
  now = T0;
  storage = new StorageService(
    new CxplanDb(`sender-${Math.random()}`),
    () => now,
    () => `o-${++n}`,
  );
  local = new MemoryArea();
  await local.set({ [PAIRING_KEY]: pairing });
});

describe('drainOutboxToJira', () => {
  it('does nothing until paired: captures stay queued', async () => {
    await local.remove(PAIRING_KEY);
    await storage.addCapture(sampleClip(1));
    const f = scriptedFetch([]);
    expect(await drain(f)).toMatchObject({ skipped: 'not-paired', requests: 0 });
    expect(await storage.outboxByStatus('pending')).toHaveLength(1);
  });

  it('sends nothing while the data-collection consent is withdrawn (Firefox): captures stay queued', async () => {
    await storage.addCapture(sampleClip(1));
    const f = scriptedFetch([]);
    expect(
      await drainOutboxToJira({ storage, local, clock: () => now, fetch: f, consent: async () => false }),
    ).toMatchObject({ skipped: 'no-consent', requests: 0 });
    expect(await storage.outboxByStatus('pending')).toHaveLength(1);
  });

  it('sends due captures in signed batches and marks each sent', async () => {
    for (let i = 1; i <= 5; i++) await storage.addCapture(sampleClip(i));
    const f = scriptedFetch([]);
    expect(await drain(f, { maxItems: 2 })).toMatchObject({ requests: 3, sent: 5, retrying: 0, failed: 0 });
    expect(f.seen.map((s) => s.clientIds.length)).toEqual([2, 2, 1]);
    const h = f.seen[0]?.headers ?? {};
    expect(h[INGEST_HEADERS.signature]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(h[INGEST_HEADERS.keyId]).toBe('k_12345678');
    expect(h[INGEST_HEADERS.timestamp]).toBe(String(T0));
    expect(new Set(f.seen.map((s) => s.headers[INGEST_HEADERS.nonce])).size).toBe(3);
    expect(await storage.outboxByStatus('sent')).toHaveLength(5);
  });

  it('sends one item per clip when a create and an update (after tagging) both wait, with the latest content', async () => {
    await storage.addCapture(sampleClip(1));
    // The worker died while sending the create; the user tagged the clip meanwhile (an update is queued).
    const create = (await storage.dueOutboxItems(now))[0];
    if (!create) throw new Error('no outbox entry');
    await storage.putOutboxItem({
      ...create,
      status: 'sending',
      sendingSince: now,
      attempts: 1,
    } as OutboxItem);
    await storage.tagEvidence('clip-1', { sentiment: -2 });
    await storage.putOutboxItem({
      ...create,
      attempts: 1,
      lastError: 'interrupted while sending',
    } as OutboxItem);
    expect(await storage.outboxByStatus('pending')).toHaveLength(2);
    const f = scriptedFetch([]);
    expect(await drain(f)).toMatchObject({ requests: 1, sent: 2 });
    expect(f.seen[0]?.clientIds).toEqual(['clip-1']);
    expect(f.seen[0]?.payloads[0]).toMatchObject({
      evidence: { id: 'clip-1', sentiment: -2 },
      intent: 'feedback',
    });
  });

  it('on 503 keeps everything, waits at least Retry-After, then sends on the next drain', async () => {
    for (let i = 1; i <= 3; i++) await storage.addCapture(sampleClip(i));
    const f = scriptedFetch([503, 200]);
    expect(await drain(f, { maxItems: 2 })).toMatchObject({ requests: 1, sent: 0, retrying: 3 });
    const waiting = await storage.outboxByStatus('pending');
    expect(waiting).toHaveLength(3);
    // Backoff for attempt 1 is 1.5 s at random 0.5, but Retry-After says 7 s.
    for (const w of waiting) if (w.status === 'pending') expect(w.nextAttemptAt).toBe(T0 + 7_000);
    const tried = f.seen[0]?.clientIds ?? [];
    expect(tried).toHaveLength(2);
    for (const w of waiting) expect(w.attempts).toBe(tried.includes(entityOf(w.operation).id) ? 1 : 0); // untried: no attempt spent
    now += 3_000;
    expect(await drain(f)).toMatchObject({ skipped: 'nothing-due' });
    now += 4_000;
    expect(await drain(f, { maxItems: 2 })).toMatchObject({ sent: 3 });
    expect(
      f.seen
        .slice(1)
        .flatMap((s) => s.clientIds)
        .sort(),
    ).toEqual(['clip-1', 'clip-2', 'clip-3']);
  });

  it('on 429 with an HTTP-date Retry-After waits until that date', async () => {
    await storage.addCapture(sampleClip(1));
    const until = new Date(T0 + 90_000).toUTCString();
    const f = scriptedFetch([
      () => new Response('slow down', { status: 429, headers: { 'Retry-After': until } }),
    ]);
    expect(await drain(f)).toMatchObject({ retrying: 1, sent: 0 });
    const [waiting] = await storage.outboxByStatus('pending');
    expect(waiting).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 90_000, lastError: 'HTTP 429' });
  });

  it('treats a network failure (offline) as retryable, losing nothing', async () => {
    await storage.addCapture(sampleClip(1));
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await drain(offline)).toMatchObject({ retrying: 1 });
    expect((await storage.outboxByStatus('pending'))[0]).toMatchObject({
      lastError: expect.stringContaining('Failed to fetch'),
    });
  });

  it('on 401 pauses without spending attempts and marks the pairing broken', async () => {
    await storage.addCapture(sampleClip(1));
    const f = scriptedFetch([
      () =>
        Response.json(
          { ok: false, code: 'key-rotated', message: 'pair again', serverTime: new Date(now).toISOString() },
          { status: 401 },
        ),
    ]);
    await drain(f);
    expect((await storage.outboxByStatus('pending'))[0]).toMatchObject({
      attempts: 0,
      lastError: 'paused: pair with Jira again',
    });
    expect((await readPairing(local))?.broken).toMatchObject({ code: 'key-rotated', message: 'pair again' });
    expect(await drain(f)).toMatchObject({ skipped: 'pairing-broken' });
  });

  it('re-signs once with the server clock after a stale-timestamp refusal', async () => {
    await storage.addCapture(sampleClip(1));
    const serverNow = T0 + 20 * 60_000;
    const f = scriptedFetch([
      () =>
        Response.json(
          {
            ok: false,
            code: 'stale-timestamp',
            message: 'clock',
            serverTime: new Date(serverNow).toISOString(),
          },
          { status: 401 },
        ),
      (s) => accept(s.clientIds),
    ]);
    expect(await drain(f)).toMatchObject({ requests: 2, sent: 1 });
    expect(f.seen[1]?.headers[INGEST_HEADERS.timestamp]).toBe(String(serverNow));
    expect((await readPairing(local))?.clockOffsetMs).toBe(20 * 60_000);
  });

  it('splits a batch the server finds too large (413)', async () => {
    for (let i = 1; i <= 4; i++) await storage.addCapture(sampleClip(i));
    const f = scriptedFetch([413]);
    expect(await drain(f)).toMatchObject({ sent: 4, requests: 3 });
    expect(f.seen.map((s) => s.clientIds.length)).toEqual([4, 2, 2]);
  });

  it('follows per-item results: a permanent rejection fails that clip only, a retryable one waits', async () => {
    for (let i = 1; i <= 3; i++) await storage.addCapture(sampleClip(i));
    const f = scriptedFetch([
      (s) =>
        accept(s.clientIds, (id) =>
          id === 'clip-2'
            ? { status: 'rejected', retryable: false, reason: 'payload.evidence.text is too long' }
            : id === 'clip-3'
              ? { status: 'rejected', retryable: true, reason: 'storage refused it' }
              : { status: 'duplicate' },
        ),
    ]);
    expect(await drain(f)).toMatchObject({ sent: 1, failed: 1, retrying: 1 });
    expect((await storage.outboxByStatus('failed'))[0]).toMatchObject({
      lastError: 'payload.evidence.text is too long',
    });
  });

  it('retries when the answer is not an ingest result (a proxy page, say)', async () => {
    await storage.addCapture(sampleClip(1));
    const f = scriptedFetch([() => new Response('<html>gateway</html>', { status: 200 })]);
    expect(await drain(f)).toMatchObject({ retrying: 1 });
  });
});
