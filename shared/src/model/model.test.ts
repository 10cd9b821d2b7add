import { describe, expect, it } from 'vitest';
import { parseWith } from '../io/parse';
import { EvidenceSchema } from './evidence';
import { OrgGoalSchema } from './goals';
import { currentReadings } from './metric';
import { findDanglingReferences } from './references';
import { emptyWorkspace, WorkspaceSchema } from './workspace';

const clip = {
  id: 'e1',
  text: 'The delivery was late again and nobody called me.',
  sourceKind: 'customer',
  origin: {
    url: 'https://reviews.example/acme',
    title: 'Acme reviews',
    capturedBy: 'Ann',
    capturedAt: '2026-11-20T10:00:00Z',
  },
  sentiment: -2,
  target: {
    source: 'https://reviews.example/acme',
    quote: { type: 'TextQuoteSelector', exact: 'delivery was late', prefix: 'The ', suffix: ' again' },
    position: { type: 'TextPositionSelector', start: 4, end: 21 },
  },
};

describe('EvidenceSchema', () => {
  it('accepts a clip and fills defaults', () => {
    const r = parseWith(EvidenceSchema, clip);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.drivers).toEqual([]);
  });

  it.each([
    [{ ...clip, sourceKind: 'robot' }, 'sourceKind', 'must be customer, partner, manager or internal'],
    [{ ...clip, sentiment: 3 }, 'sentiment', 'must be between -2 and 2'],
    [
      { ...clip, origin: { ...clip.origin, capturedAt: 'yesterday' } },
      'origin.capturedAt',
      'must be an ISO date-time',
    ],
    [{ ...clip, origin: { ...clip.origin, url: 'javascript:alert(1)' } }, 'origin.url', 'must be'],
    [{ ...clip, text: '   ' }, 'text', 'is required'],
    [
      { ...clip, target: { ...clip.target, position: { type: 'TextPositionSelector', start: 9, end: 2 } } },
      'target.position.end',
      'must not be before start',
    ],
  ])('rejects bad input with an error naming the field (%#)', (input, path, message) => {
    const r = parseWith(EvidenceSchema, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const hit = r.errors.find((e) => e.path === path);
      expect(hit?.message).toContain(path);
      expect(hit?.message).toContain(message);
    }
  });
});

describe('OrgGoalSchema', () => {
  it('refuses an organisation goal that cites no evidence', () => {
    const r = parseWith(OrgGoalSchema, {
      id: 'g1',
      cycleId: 'c1',
      title: 'Deliveries on time',
      metric: {
        name: 'On-time deliveries',
        unit: '%',
        direction: 'increase',
        baseline: 80,
        target: 95,
        due: '2027-06-30',
      },
      evidenceIds: [],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toBe('evidenceIds must cite at least one piece of evidence');
  });
});

describe('currentReadings', () => {
  it('replaces corrected readings and orders by the time the value was true (backdating)', () => {
    const readings = [
      { id: 'r1', value: 10, at: '2026-02-01T00:00:00Z', recordedAt: '2026-02-01T00:00:00Z', by: 'p1' },
      { id: 'r2', value: 99, at: '2026-03-01T00:00:00Z', recordedAt: '2026-03-01T00:00:00Z', by: 'p1' },
      {
        id: 'r3',
        value: 12,
        at: '2026-03-01T00:00:00Z',
        recordedAt: '2026-03-02T00:00:00Z',
        by: 'p1',
        corrects: 'r2',
      },
      { id: 'r4', value: 5, at: '2026-01-01T00:00:00Z', recordedAt: '2026-03-05T00:00:00Z', by: 'p1' },
    ];
    expect(currentReadings({ readings }).map((r) => r.id)).toEqual(['r4', 'r1', 'r3']);
  });
});

describe('workspace', () => {
  it('an empty workspace is valid and has the seven default stages', () => {
    const ws = emptyWorkspace('Acme');
    expect(parseWith(WorkspaceSchema, ws).ok).toBe(true);
    expect(ws.stages.map((s) => s.name)).toEqual([
      'Aware',
      'Shop/Buy',
      'Set Up',
      'Use & Support',
      'Pay',
      'Add/Renew/Upgrade',
      'Leave',
    ]);
  });

  it('finds evidence tagged with an unknown stage', () => {
    const ws = emptyWorkspace();
    const r = parseWith(EvidenceSchema, { ...clip, stageId: 'stage-nowhere' });
    if (!r.ok) throw new Error('fixture invalid');
    ws.evidence.push(r.value);
    expect(findDanglingReferences(ws)).toEqual([
      {
        path: 'evidence[0].stageId',
        id: 'stage-nowhere',
        expected: 'lifecycle stage',
        message: 'evidence[0].stageId refers to an unknown lifecycle stage "stage-nowhere"',
      },
    ]);
  });
});
