import { type IngestResponse, IngestResponseSchema, MAX_BODY_BYTES, parseWith } from '@cxplan/core';
import type { WebTriggerResponse } from '@forge/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIngestHandler, type IngestRequest } from './ingest-handler';
import { evidenceKey, nonceKey } from './ingest-kvs';
import { generateIngestSecret, type IngestSecretShownOnce, rotateIngestSecret } from './ingest-secret';
import { MemoryKvs } from './testing/memory-kvs';
import { evidenceBatch, sampleEvidence, signedRequest } from './testing/signed-request';

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
let now = T0;
let kv: MemoryKvs;
let secret: IngestSecretShownOnce;
let handle: (r: IngestRequest) => Promise<WebTriggerResponse>;

beforeEach(async () => {
  now = T0;
  kv = new MemoryKvs(() => now);
  secret = await generateIngestSecret(kv, now);
  handle = createIngestHandler({ kv, now: () => now });
});

function read(res: WebTriggerResponse): IngestResponse {
  const parsed = parseWith(IngestResponseSchema, JSON.parse(res.body ?? ''));
  if (!parsed.ok) throw new Error(`response does not follow the protocol: ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

function statuses(res: WebTriggerResponse): string[] {
  const body = read(res);
  if (!body.ok) throw new Error(`refused: ${body.message}`);
  return body.results.map((r) => r.status);
}

const send = (
  body: string,
  o: Partial<Parameters<typeof signedRequest>[2]> = {},
): Promise<WebTriggerResponse> =>
  handle(signedRequest(secret.secret, body, { now, keyId: secret.keyId, ...o }));

const three = (): string => evidenceBatch([sampleEvidence(1), sampleEvidence(2), sampleEvidence(3)]);

describe('accepted batches', () => {
  it('stores each capture and answers created per item, in order', async () => {
    const res = await send(three());
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toEqual(['application/json; charset=utf-8']);
    const body = read(res);
    expect(body.ok && body.results.map((r) => [r.clientId, r.status])).toEqual([
      ['clip-00001', 'created'],
      ['clip-00002', 'created'],
      ['clip-00003', 'created'],
    ]);
    expect(kv.keys('cxplan-evidence:')).toHaveLength(3);
    const stored = await kv.get<{ evidence: { text: string }; intent: string }>(evidenceKey('clip-00002'));
    expect(stored?.evidence.text).toContain('Customer 2');
    expect(stored?.intent).toBe('feedback');
  });

  it('keeps what a capture was meant as (the core Evidence.intent, or the item-level intent of older senders)', async () => {
    const body = JSON.stringify({
      version: 1,
      sentAt: '2026-11-23T10:00:00Z',
      items: [
        {
          clientId: 'clip-00001',
          kind: 'evidence',
          payload: { evidence: sampleEvidence(1, { intent: 'goal' }) },
        },
        {
          clientId: 'clip-00002',
          kind: 'evidence',
          payload: { evidence: sampleEvidence(2), intent: 'action' },
        },
      ],
    });
    expect(statuses(await send(body))).toEqual(['created', 'created']);
    const goal = await kv.get<{ intent: string; evidence: { intent: string } }>(evidenceKey('clip-00001'));
    const action = await kv.get<{ intent: string; evidence: { intent: string } }>(evidenceKey('clip-00002'));
    expect([goal?.intent, goal?.evidence.intent]).toEqual(['goal', 'goal']);
    expect([action?.intent, action?.evidence.intent]).toEqual(['action', 'action']);
  });

  it('is idempotent: the same batch sent twice (fresh signature) changes nothing the second time', async () => {
    await send(three());
    const before = await kv.get(evidenceKey('clip-00001'));
    const writesBefore = kv.calls.batchSet;
    now += 60_000;
    const again = await send(three());
    expect(statuses(again)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(kv.calls.batchSet).toBe(writesBefore);
    expect(await kv.get(evidenceKey('clip-00001'))).toEqual(before);
    expect(kv.keys('cxplan-evidence:')).toHaveLength(3);
  });

  it('updates a capture whose content changed (tagged after the first send), keeping when it was first received', async () => {
    await send(evidenceBatch([sampleEvidence(1)]));
    now += 30_000;
    const res = await send(
      evidenceBatch([sampleEvidence(1, { sentiment: -2, taggedAt: '2026-11-23T10:00:20Z' })]),
    );
    expect(statuses(res)).toEqual(['updated']);
    const stored = await kv.get<{ evidence: { sentiment: number }; receivedAt: string; updatedAt: string }>(
      evidenceKey('clip-00001'),
    );
    expect(stored?.evidence.sentiment).toBe(-2);
    expect(stored?.receivedAt).toBe(new Date(T0).toISOString());
    expect(stored?.updatedAt).toBe(new Date(T0 + 30_000).toISOString());
  });

  it('rejects an invalid item alone, with its field errors, and stores the rest', async () => {
    const body = evidenceBatch([
      sampleEvidence(1),
      sampleEvidence(2, { sourceKind: 'robot' }),
      sampleEvidence(3),
    ]);
    const res = await send(body);
    const parsed = read(res);
    expect(res.statusCode).toBe(200);
    if (!parsed.ok) throw new Error('refused');
    expect(parsed.results.map((r) => r.status)).toEqual(['created', 'rejected', 'created']);
    expect(parsed.results[1]).toMatchObject({
      status: 'rejected',
      retryable: false,
      errors: [
        {
          path: 'payload.evidence.sourceKind',
          message: 'payload.evidence.sourceKind must be customer, partner, manager or internal',
        },
      ],
    });
    expect(kv.keys('cxplan-evidence:')).toHaveLength(2);
  });

  it('reports a key storage failed to write as retryable, and stores it when sent again', async () => {
    kv.failKeys.add(evidenceKey('clip-00002'));
    const first = read(await send(three()));
    expect(first.ok && first.results[1]).toMatchObject({ status: 'rejected', retryable: true });
    now += 1_000;
    expect(statuses(await send(three()))).toEqual(['duplicate', 'created', 'duplicate']);
  });

  it('stores 500 captures with 20 batch reads and 20 batch writes (25 keys each)', async () => {
    const body = evidenceBatch(Array.from({ length: 500 }, (_, i) => sampleEvidence(i)));
    const res = await send(body);
    expect(statuses(res).filter((s) => s === 'created')).toHaveLength(500);
    expect(kv.calls.batchGet).toBe(20);
    expect(kv.calls.batchSet).toBe(20);
  });

  it('rejects goals and actions as retryable while no Jira project is configured, and still stores evidence', async () => {
    const body = JSON.stringify({
      version: 1,
      sentAt: '2026-11-23T10:00:00Z',
      items: [
        { clientId: 'clip-00001', kind: 'evidence', payload: { evidence: sampleEvidence(1) } },
        {
          clientId: 'g-1',
          kind: 'deptGoal',
          payload: { goal: { id: 'g-1', cycleId: 'c1', departmentId: 'd1', title: 'Faster replies' } },
        },
      ],
    });
    const parsed = read(await send(body));
    expect(parsed.ok && parsed.results.map((r) => r.status)).toEqual(['created', 'rejected']);
    expect(parsed.ok && parsed.results[1]).toMatchObject({
      retryable: true,
      reason: expect.stringContaining('not configured'),
    });
  });
});

describe('refused requests (nothing is stored, and the right status says why)', () => {
  it('401 when the signature headers are missing', async () => {
    const res = await handle({
      method: 'POST',
      headers: { 'content-type': ['application/json'] },
      body: three(),
    });
    expect(res.statusCode).toBe(401);
    expect(read(res)).toMatchObject({
      ok: false,
      code: 'missing-signature',
      message: expect.stringContaining('x-cxplan-signature'),
    });
    expect(kv.keys()).toEqual([]);
  });

  it('401 when the body was altered after signing — checked before the body is parsed', async () => {
    const res = await send('{"not":"even a batch"', { signedBody: three() });
    expect(res.statusCode).toBe(401); // a 400 would mean the body was parsed first
    expect(read(res)).toMatchObject({ code: 'bad-signature' });
    expect(kv.keys()).toEqual([]);
  });

  it('401 when signed with another secret (a forgery that knows the key id)', async () => {
    const forged = signedRequest(`cxp1.${secret.keyId}.${'B'.repeat(43)}`, three(), {
      now,
      keyId: secret.keyId,
    });
    const res = await handle(forged);
    expect(res.statusCode).toBe(401);
    expect(read(res)).toMatchObject({ code: 'bad-signature' });
    expect(kv.keys()).toEqual([]);
  });

  it('401 with one character of the signature flipped', async () => {
    const req = signedRequest(secret.secret, three(), { now, keyId: secret.keyId });
    const sig = (req.headers['x-cxplan-signature']?.[0] ?? '').split('');
    sig[10] = sig[10] === 'a' ? 'b' : 'a';
    const res = await handle({ ...req, headers: { ...req.headers, 'x-cxplan-signature': [sig.join('')] } });
    expect(read(res)).toMatchObject({ code: 'bad-signature' });
  });

  it('401 key-rotated for the old secret after rotation; the new one works', async () => {
    const old = secret;
    secret = await rotateIngestSecret(kv, now);
    const stale = await handle(signedRequest(old.secret, three(), { now, keyId: old.keyId }));
    expect(stale.statusCode).toBe(401);
    expect(read(stale)).toMatchObject({
      code: 'key-rotated',
      message: expect.stringContaining('pair the extension again'),
    });
    expect((await send(three())).statusCode).toBe(200);
  });

  it('401 not-paired when no secret was ever generated', async () => {
    const empty = new MemoryKvs(() => now);
    const res = await createIngestHandler({ kv: empty, now: () => now })(
      signedRequest(secret.secret, three(), { now, keyId: secret.keyId }),
    );
    expect(res.statusCode).toBe(401);
    expect(read(res)).toMatchObject({ code: 'not-paired' });
  });

  it.each([
    ['6 minutes old', -6 * 60_000, 401],
    ['6 minutes in the future', 6 * 60_000, 401],
    ['4 min 59 s old', -(5 * 60_000 - 1_000), 200],
    ['exactly 5 minutes ahead', 5 * 60_000, 200],
  ])('timestamp %s → %d', async (_label, skew, status) => {
    const res = await send(three(), { timestamp: now + skew });
    expect(res.statusCode).toBe(status);
    if (status === 401) expect(read(res)).toMatchObject({ code: 'stale-timestamp' });
  });

  it('409 when the exact same request is replayed, and it changes nothing', async () => {
    const req = signedRequest(secret.secret, three(), { now, keyId: secret.keyId });
    expect((await handle(req)).statusCode).toBe(200);
    const writes = kv.calls.batchSet;
    now += 10_000;
    const replay = await handle(req);
    expect(replay.statusCode).toBe(409);
    expect(read(replay)).toMatchObject({ code: 'replayed-nonce' });
    expect(kv.calls.batchSet).toBe(writes);
  });

  it('409 for one of two concurrent copies of a request (the nonce claim is atomic)', async () => {
    const req = signedRequest(secret.secret, three(), { now, keyId: secret.keyId });
    const codes = (await Promise.all([handle(req), handle(req)])).map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
  });

  it('a replay after the nonce expired is still refused: its timestamp is out of the window by then', async () => {
    const req = signedRequest(secret.secret, three(), { now, keyId: secret.keyId });
    await handle(req);
    now += 11 * 60_000;
    expect(kv.keys('cxplan-ingest-nonce:')).toEqual([]); // forgotten
    const replay = await handle(req);
    expect(replay.statusCode).toBe(401);
    expect(read(replay)).toMatchObject({ code: 'stale-timestamp' });
  });

  it('a refused signature does not burn the nonce (an attacker cannot block a real request)', async () => {
    const nonce = 'shared-nonce-0123456789';
    await send('{}', { nonce, signedBody: three() });
    expect(await kv.get(nonceKey(nonce))).toBeUndefined();
    expect((await send(three(), { nonce })).statusCode).toBe(200);
  });

  it('413 for a body over the limit, before reading headers or the signature', async () => {
    const huge = 'x'.repeat(MAX_BODY_BYTES + 1);
    const res = await handle({ method: 'POST', headers: {}, body: huge });
    expect(res.statusCode).toBe(413);
    expect(read(res)).toMatchObject({ code: 'too-large' });
  });

  it('400 with field errors for a signed body that is not a valid batch', async () => {
    const res = await send(
      JSON.stringify({ version: 1, sentAt: 'today', items: [{ clientId: 'a', kind: 'poem' }] }),
    );
    expect(res.statusCode).toBe(400);
    const body = read(res);
    expect(body.ok).toBe(false);
    if (body.ok) return;
    expect(body.code).toBe('invalid-batch');
    expect(body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['sentAt', 'items.0.kind']));
    expect(kv.keys('cxplan-evidence:')).toEqual([]);
  });

  it('400 for a signed body that is not JSON', async () => {
    const res = await send('{"version":');
    expect(res.statusCode).toBe(400);
    expect(read(res)).toMatchObject({ code: 'invalid-batch', message: expect.stringContaining('not JSON') });
  });

  it('405 for anything but POST', async () => {
    const res = await handle({ method: 'GET', headers: {}, body: '' });
    expect(res.statusCode).toBe(405);
  });

  it('503 with Retry-After when storage fails as a whole', async () => {
    const broken = new MemoryKvs(() => now);
    await broken.setSecret('cxplan-ingest-secret', await kv.getSecret('cxplan-ingest-secret'));
    broken.batchGet = async () => {
      throw new Error('KVS is down');
    };
    const res = await createIngestHandler({ kv: broken, now: () => now })(
      signedRequest(secret.secret, three(), { now, keyId: secret.keyId }),
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['Retry-After']).toEqual(['30']);
    expect(read(res)).toMatchObject({ code: 'unavailable' });
  });
});
