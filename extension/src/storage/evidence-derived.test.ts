import { computeHeatMap, computeHeatMapFromCounts, type HeatMap } from '@cxplan/core';
import { Dexie } from 'dexie';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CxplanDb, SCHEMA_V2 } from './db';
import type { EvidenceRow } from './evidence-row';
import { StorageService } from './storage-service';
import { sampleClip } from './test-fixtures';

const EVENTS = ['ev-a', 'ev-b', 'ev-c'];

/** Everything in the derived tables, in a comparable order. */
async function derivedOf(db: CxplanDb): Promise<unknown> {
  const heat = (await db.heatCounts.toArray()).sort((a, b) => a.eventId.localeCompare(b.eventId));
  // Read raw (the service's reads drop the index fields): which rows carry `untaggedAt`, and its value.
  const untagged = (await db.evidence.toArray())
    .flatMap((r) => {
      const at = (r as { untaggedAt?: string }).untaggedAt;
      return at === undefined ? [] : [{ id: r.id, capturedAt: at }];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return { heat, untagged };
}

/** What the derived tables must hold for these rows: computed independently, the slow obvious way. */
function expectedDerived(rows: readonly EvidenceRow[]): unknown {
  const perEvent = new Map<string, number[]>();
  for (const r of rows) {
    const key = r.eventId ?? '';
    const counts = perEvent.get(key) ?? new Array<number>(48).fill(0);
    const slot = r.sentiment === undefined ? 0 : r.sentiment + 3;
    const mask =
      (r.drivers.includes('loyalty') ? 1 : 0) +
      (r.drivers.includes('retention') ? 2 : 0) +
      (r.drivers.includes('pain') ? 4 : 0);
    counts[slot * 8 + mask] = (counts[slot * 8 + mask] ?? 0) + 1;
    perEvent.set(key, counts);
  }
  return {
    heat: [...perEvent]
      .map(([eventId, counts]) => ({ eventId, counts }))
      .sort((a, b) => a.eventId.localeCompare(b.eventId)),
    untagged: rows
      .filter((r) => r.taggedAt === undefined)
      .map((r) => ({ id: r.id, capturedAt: r.origin.capturedAt }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** A heat map without the per-cell explanations (counts cannot give them; a cell reads its rows on demand). */
function scores(map: HeatMap): unknown {
  return {
    ranked: map.ranked.map(({ contributions: _c, otherContributions: _o, ...cell }) => cell),
    unplaced: map.unplacedEvidence,
  };
}

type Op =
  | { kind: 'add'; n: number; eventId?: string; sentiment?: number; pain: boolean }
  | { kind: 'tag'; n: number; eventId: string | null; sentiment: number | null; pain: boolean }
  | { kind: 'remove'; n: number }
  | { kind: 'bulk'; from: number; count: number }
  | { kind: 'restore-without'; n: number };

const arbSentiment = fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined });
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    n: fc.nat(6),
    eventId: fc.option(fc.constantFrom(...EVENTS), { nil: undefined }),
    sentiment: arbSentiment,
    pain: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('tag' as const),
    n: fc.nat(6),
    eventId: fc.option(fc.constantFrom(...EVENTS), { nil: null }),
    sentiment: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }),
    pain: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('remove' as const), n: fc.nat(6) }),
  fc.record({
    kind: fc.constant('bulk' as const),
    from: fc.nat(200),
    count: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant('restore-without' as const), n: fc.nat(6) }),
);

async function run(storage: StorageService, op: Op): Promise<void> {
  switch (op.kind) {
    case 'add':
      if (await storage.getEvidence(`clip-${op.n}`)) return;
      await storage.addCapture(
        sampleClip(op.n, {
          ...(op.eventId === undefined ? {} : { eventId: op.eventId }),
          ...(op.sentiment === undefined ? {} : { sentiment: op.sentiment }),
          drivers: op.pain ? ['pain'] : [],
        }),
      );
      return;
    case 'tag':
      if (!(await storage.getEvidence(`clip-${op.n}`))) return;
      await storage.tagEvidence(`clip-${op.n}`, {
        eventId: op.eventId,
        sentiment: op.sentiment,
        drivers: op.pain ? ['pain'] : [],
      });
      return;
    case 'remove':
      await storage.remove('evidence', `clip-${op.n}`);
      return;
    case 'bulk': {
      const rows = Array.from({ length: op.count }, (_, i) =>
        sampleClip(1000 + op.from + i, { eventId: EVENTS[i % 3] as string, sentiment: (i % 5) - 2 }),
      );
      // Some may exist already: the bulk add fails as a whole and must leave the counts as they were.
      await storage.bulkAddEvidence(rows).catch(() => undefined);
      return;
    }
    case 'restore-without': {
      const ws = await storage.readWorkspace();
      await storage.replaceWorkspace({ ...ws, evidence: ws.evidence.filter((e) => e.id !== `clip-${op.n}`) });
      return;
    }
  }
}

describe('tables derived from the evidence', () => {
  it('stay equal to a rebuild from the rows after any sequence of writes, and give the row-based heat map (property)', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 25 }), async (ops) => {
        const db = new CxplanDb(`derived-${round++}-${Math.random()}`);
        const storage = new StorageService(db);
        for (const id of EVENTS)
          await storage.put('events', { id, stageId: 'stage-pay', name: id, drivers: [] });
        for (const op of ops) await run(storage, op);
        const rows = await storage.list('evidence');
        expect(await derivedOf(db)).toEqual(expectedDerived(rows));
        const ws = await storage.readWorkspace();
        const { evidence: _e, ...plan } = ws;
        expect(scores(computeHeatMapFromCounts(plan, await storage.heatMapCounts()))).toEqual(
          scores(computeHeatMap(ws)),
        );
        db.close();
        await Dexie.delete(db.name);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses an evidence write in a transaction without the derived tables, writing nothing', async () => {
    const db = new CxplanDb(`derived-scope-${Math.random()}`);
    await expect(db.evidence.add(sampleClip(1))).rejects.toThrow(/without heatCounts/);
    expect(await db.evidence.count()).toBe(0);
    expect(await db.heatCounts.count()).toBe(0);
    db.close();
  });

  it('keeps the counts when Dexie modifies or deletes rows by query inside the right transaction', async () => {
    const db = new CxplanDb(`derived-modify-${Math.random()}`);
    const storage = new StorageService(db);
    await storage.bulkAddEvidence(
      Array.from({ length: 10 }, (_, i) => sampleClip(i, { eventId: 'ev-a', sentiment: -2 })),
    );
    await db.transaction('rw', ['evidence', 'heatCounts'], async () => {
      await db.evidence
        .where('eventId')
        .equals('ev-a')
        .modify((row) => {
          row.sentiment = 2;
          row.taggedAt = '2026-11-23T10:00:00.000Z';
        });
      await db.evidence.where('id').anyOf('clip-0', 'clip-1').delete();
    });
    expect(await derivedOf(db)).toEqual(expectedDerived(await storage.list('evidence')));
    await db.transaction('rw', ['evidence', 'heatCounts'], () => db.evidence.clear());
    expect(await derivedOf(db)).toEqual({ heat: [], untagged: [] });
    db.close();
  });

  it('are built from the rows when a v2 database is upgraded', async () => {
    const name = `derived-upgrade-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(2).stores(SCHEMA_V2);
    const rows = Array.from({ length: 120 }, (_, i) =>
      sampleClip(i, {
        ...(i % 4 === 0 ? {} : { eventId: EVENTS[i % 3] as string, taggedAt: '2026-11-23T10:00:00.000Z' }),
        ...(i % 6 === 0 ? {} : { sentiment: (i % 5) - 2 }),
      }),
    );
    await v2.table('evidence').bulkAdd(rows);
    v2.close();
    const db = new CxplanDb(name);
    await db.open();
    expect(db.verno).toBe(4);
    expect(await derivedOf(db)).toEqual(expectedDerived(rows));
    db.close();
  });
});
