import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS } from './ingest-protocol';
import { parseIngestBody, parseIngestItem } from './parse-ingest-batch';

const evidence = (id: string): Record<string, unknown> => ({
  id,
  text: 'Checkout kept timing out on the last step.',
  sourceKind: 'customer',
  origin: {
    url: 'https://forum.example/t/1',
    capturedBy: 'Ann',
    capturedAt: '2026-11-23T10:00:00Z',
    via: 'clip',
  },
});
const batch = (items: unknown[]): string =>
  JSON.stringify({ version: 1, sentAt: '2026-11-23T10:00:01Z', items });
const item = (id: string, payload: unknown = { evidence: evidence(id) }): unknown => ({
  clientId: id,
  kind: 'evidence',
  payload,
});

describe('parseIngestBody', () => {
  it('accepts a batch', () => {
    const r = parseIngestBody(batch([item('c-1'), item('c-2')]));
    expect(r.ok && r.batch.items.map((i) => i.clientId)).toEqual(['c-1', 'c-2']);
  });

  it('refuses a body that is not JSON with 400', () => {
    expect(parseIngestBody('{"version":1,')).toMatchObject({
      ok: false,
      refusal: { status: 400, code: 'invalid-batch' },
    });
  });

  it.each([
    [{ version: 2, sentAt: '2026-11-23T10:00:01Z', items: [item('a')] }, 'version', 'version must be 1'],
    [{ version: 1, sentAt: 'now', items: [item('a')] }, 'sentAt', 'sentAt must be an ISO date-time'],
    [{ version: 1, sentAt: '2026-11-23T10:00:01Z' }, 'items', 'items'],
    [
      { version: 1, sentAt: '2026-11-23T10:00:01Z', items: [] },
      'items',
      'items must contain at least one item',
    ],
    [
      { version: 1, sentAt: '2026-11-23T10:00:01Z', items: [{ clientId: 'a b', kind: 'evidence' }] },
      'items.0.clientId',
      'items.0.clientId must be 1–100',
    ],
    [
      { version: 1, sentAt: '2026-11-23T10:00:01Z', items: [{ clientId: 'a', kind: 'poem' }] },
      'items.0.kind',
      'must be evidence, deptGoal or action',
    ],
    [
      { version: 1, sentAt: '2026-11-23T10:00:01Z', items: [item('a'), item('a')] },
      'items',
      'must not contain the same client id twice',
    ],
  ])('refuses an invalid envelope with 400 naming %#: %s', (body, path, message) => {
    const r = parseIngestBody(JSON.stringify(body));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.status).toBe(400);
    const error = r.refusal.errors?.find((e) => e.path === path);
    expect(error?.message).toContain(message);
  });

  it(`refuses more than ${MAX_BATCH_ITEMS} items`, () => {
    const items = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => item(`c-${i}`));
    const r = parseIngestBody(batch(items));
    expect(!r.ok && r.refusal.errors?.[0]).toMatchObject({
      path: 'items',
      message: `items must contain at most ${MAX_BATCH_ITEMS} items`,
    });
  });
});

describe('parseIngestItem', () => {
  it('parses an evidence payload and defaults the intent to feedback', () => {
    const r = parseIngestItem({ clientId: 'c-1', kind: 'evidence', payload: { evidence: evidence('c-1') } });
    expect(r.ok && r.value.kind === 'evidence' && r.value.payload.intent).toBe('feedback');
  });

  it('names the payload field that is wrong', () => {
    const r = parseIngestItem({
      clientId: 'c-1',
      kind: 'evidence',
      payload: { evidence: { ...evidence('c-1'), sentiment: 7 } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toContainEqual({
        path: 'payload.evidence.sentiment',
        message: 'payload.evidence.sentiment must be between -2 and 2',
      });
  });

  it('requires the entity id to be the client id', () => {
    const r = parseIngestItem({ clientId: 'c-1', kind: 'evidence', payload: { evidence: evidence('c-2') } });
    expect(!r.ok && r.errors[0]?.path).toBe('payload.evidence.id');
  });

  it('parses department goals and actions with the core schemas', () => {
    const goal = {
      id: 'g-1',
      cycleId: 'y1',
      departmentId: 'd1',
      title: 'Answer every complaint within a day',
    };
    expect(parseIngestItem({ clientId: 'g-1', kind: 'deptGoal', payload: { goal } }).ok).toBe(true);
    const action = { id: 'a-1', cycleId: 'y1', deptGoalId: 'g-1', title: '' };
    const r = parseIngestItem({ clientId: 'a-1', kind: 'action', payload: { action } });
    expect(!r.ok && r.errors[0]?.path).toBe('payload.action.title');
  });
});
