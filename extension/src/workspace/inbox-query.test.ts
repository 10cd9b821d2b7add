import { describe, expect, it } from 'vitest';
import { CxplanDb } from '../storage/db';
import { StorageService } from '../storage/storage-service';
import { sampleClip } from '../storage/test-fixtures';
import { type InboxFilter, queryInbox } from './inbox-query';

/** 60 clips, one a minute, every third on event ev-a (stage set-up), every fifth untagged, alternating sources. */
async function seeded(): Promise<CxplanDb> {
  const db = new CxplanDb(`inbox-${Math.random()}`);
  const rows = Array.from({ length: 60 }, (_, i) =>
    sampleClip(i, {
      id: `c-${String(i).padStart(2, '0')}`,
      text: i === 42 ? 'The refund never arrived' : `Checkout timed out (${i})`,
      sourceKind: i % 2 === 0 ? 'customer' : 'partner',
      ...(i % 3 === 0 ? { eventId: 'ev-a', stageId: 'stage-set-up' } : {}),
      ...(i % 5 === 0 ? {} : { taggedAt: '2026-11-23T10:00:00.000Z' }),
      sentiment: (i % 5) - 2,
      origin: {
        capturedBy: i < 30 ? 'Sam' : 'Ann',
        capturedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
        via: 'clip',
      },
    }),
  );
  await new StorageService(db).bulkAddEvidence(rows);
  return db;
}

describe('queryInbox', () => {
  it('pages newest first and says when more rows match', async () => {
    const db = await seeded();
    const first = await queryInbox(db, {}, 0, 25);
    expect(first.rows.map((r) => r.id).slice(0, 2)).toEqual(['c-59', 'c-58']);
    expect(first.more).toBe(true);
    const last = await queryInbox(db, {}, 50, 25);
    expect(last.rows).toHaveLength(10);
    expect(last.more).toBe(false);
  });

  it('combines filters with AND: event (by its index), source, sentiment, untagged, captured by, text', async () => {
    const db = await seeded();
    const byEvent = await queryInbox(db, { eventId: 'ev-a' });
    expect(byEvent.rows).toHaveLength(20);
    expect(byEvent.rows[0]?.id).toBe('c-57');
    const partnerOnEvent = await queryInbox(db, { eventId: 'ev-a', sourceKind: 'partner' });
    expect(partnerOnEvent.rows.map((r) => Number(r.id.slice(2)))).toEqual([
      57, 51, 45, 39, 33, 27, 21, 15, 9, 3,
    ]);
    expect((await queryInbox(db, { untagged: true })).rows).toHaveLength(12);
    expect((await queryInbox(db, { sentiment: -2 })).rows.every((r) => r.sentiment === -2)).toBe(true);
    expect((await queryInbox(db, { capturedBy: 'ann' })).rows).toHaveLength(30);
    expect((await queryInbox(db, { text: 'REFUND' })).rows.map((r) => r.id)).toEqual(['c-42']);
    expect((await queryInbox(db, { text: 'nowhere' })).rows).toEqual([]);
  });

  it('intersects common words by key: none together finds nothing, a few together are found newest first', async () => {
    const db = await seeded();
    // "checkout" and "timed" are in 59 clips each, "refund" in one other; with a rare-word limit of 0 all are common.
    expect((await queryInbox(db, { text: 'checkout refund' }, 0, 200, 0)).rows).toEqual([]);
    expect((await queryInbox(db, { text: 'refund arrived' }, 0, 200, 0)).rows.map((r) => r.id)).toEqual([
      'c-42',
    ]);
    const both = await queryInbox(db, { text: 'timed checkout', sourceKind: 'partner' }, 0, 5, 10);
    expect(both.rows.map((r) => r.id)).toEqual(['c-59', 'c-57', 'c-55', 'c-53', 'c-51']);
    expect(both.more).toBe(true);
    // The same answers as the walk (limit -1 forces it).
    expect((await queryInbox(db, { text: 'timed checkout', sourceKind: 'partner' }, 0, 5, -1)).rows).toEqual(
      both.rows,
    );
  });

  it('finds untagged clips from their own table: newest first, with the other filters, paged, and gone once tagged', async () => {
    const db = await seeded();
    const untagged = await queryInbox(db, { untagged: true }, 0, 5);
    expect(untagged.rows.map((r) => r.id)).toEqual(['c-55', 'c-50', 'c-45', 'c-40', 'c-35']);
    expect(untagged.more).toBe(true);
    expect((await queryInbox(db, { untagged: true }, 10, 5)).rows.map((r) => r.id)).toEqual(['c-05', 'c-00']);
    expect(
      (await queryInbox(db, { untagged: true, sourceKind: 'partner', capturedBy: 'ann' })).rows.map(
        (r) => r.id,
      ),
    ).toEqual(['c-55', 'c-45', 'c-35']);
    expect((await queryInbox(db, { untagged: true, to: '2026-10-31' })).rows).toEqual([]);
    await new StorageService(db).tagEvidence('c-55', { sentiment: 1 });
    expect((await queryInbox(db, { untagged: true }, 0, 1)).rows.map((r) => r.id)).toEqual(['c-50']);
  });

  it('searches by word starts (any case, any order), the same through the word index or the walk', async () => {
    const db = await seeded();
    const search = async (text: string, limit: number): Promise<string[]> =>
      (await queryInbox(db, { text }, 0, 200, limit)).rows.map((r) => r.id);
    for (const limit of [-1, 500]) {
      expect(await search('refund ARR', limit)).toEqual(['c-42']);
      expect(await search('arrived refund', limit)).toEqual(['c-42']);
      // A word must start with what is typed: "fund" is inside "refund" but starts no word.
      expect(await search('fund', limit)).toEqual([]);
      expect(await search('TIMED', limit)).toHaveLength(59);
      expect((await search('timed 4', limit)).slice(0, 3)).toEqual(['c-49', 'c-48', 'c-47']);
      expect(await search('zzzqx', limit)).toEqual([]);
    }
    expect(await queryInbox(db, { text: 'checkout', sourceKind: 'partner', to: '2026-10-31' })).toEqual({
      rows: [],
      more: false,
    });
  });

  it('keeps the word index in step: a re-tagged or restored row is still found, a removed one is not', async () => {
    const db = await seeded();
    const storage = new StorageService(db);
    await storage.tagEvidence('c-42', { sentiment: -2 });
    expect((await queryInbox(db, { text: 'refund' })).rows.map((r) => r.id)).toEqual(['c-42']);
    await storage.remove('evidence', 'c-42');
    expect((await queryInbox(db, { text: 'refund' })).rows).toEqual([]);
    // Stored rows carry their words for the index; what the service hands out does not.
    expect(await db.evidence.get('c-41')).toHaveProperty('searchWords');
    expect(await storage.getEvidence('c-41')).not.toHaveProperty('searchWords');
  });

  it('gives the page a brute-force scan gives, through any index or walk, for every combination of filters', async () => {
    const db = await seeded();
    const all = await new StorageService(db).list('evidence');
    const words = (t: string): string[] =>
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== '');
    const expected = (f: InboxFilter): string[] =>
      all
        .filter(
          (r) =>
            (f.eventId === undefined || r.eventId === f.eventId) &&
            (f.stageId === undefined || r.stageId === f.stageId) &&
            (f.sourceKind === undefined || r.sourceKind === f.sourceKind) &&
            (f.untagged !== true || r.taggedAt === undefined) &&
            (f.capturedBy === undefined || r.origin.capturedBy.toLowerCase().includes(f.capturedBy)) &&
            (f.to === undefined || r.origin.capturedAt.slice(0, 10) <= f.to) &&
            words(f.text ?? '').every((t) => words(r.text).some((w) => w.startsWith(t))),
        )
        .sort((a, b) => b.origin.capturedAt.localeCompare(a.origin.capturedAt))
        .map((r) => r.id);
    let checked = 0;
    for (const eventId of [undefined, 'ev-a'])
      for (const stageId of [undefined, 'stage-set-up'])
        for (const sourceKind of [undefined, 'partner'] as const)
          for (const untagged of [undefined, true])
            for (const text of [undefined, 'timed', 'refund', 'timed 5'])
              for (const capturedBy of [undefined, 'ann', 'a', 'nobody'])
                for (const to of [undefined, '2026-10-31']) {
                  const f: InboxFilter = { eventId, stageId, sourceKind, untagged, text, capturedBy, to };
                  for (const rareWord of [-1, 500]) {
                    const got = (await queryInbox(db, f, 0, 200, rareWord)).rows.map((r) => r.id);
                    expect(got, JSON.stringify({ ...f, rareWord })).toEqual(expected(f));
                    checked++;
                  }
                }
    expect(checked).toBe(2 * 2 * 2 * 2 * 4 * 4 * 2 * 2);
    expect(
      (await queryInbox(db, { eventId: 'ev-a', untagged: true, capturedBy: 'ann' })).rows.map((r) => r.id),
    ).toEqual(['c-45', 'c-30']);
  });

  it('limits to a date range (inclusive days), with or without an event', async () => {
    const db = await seeded();
    expect((await queryInbox(db, { from: '2026-11-01', to: '2026-11-01' })).rows).toHaveLength(60);
    expect((await queryInbox(db, { from: '2026-11-02' })).rows).toHaveLength(0);
    expect((await queryInbox(db, { eventId: 'ev-a', to: '2026-10-31' })).rows).toHaveLength(0);
  });
});
