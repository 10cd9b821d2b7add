import { computeHeatMap, computeHeatMapFromCounts, heatMapCategory } from '@cxplan/core';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { WorkspaceData } from '../workspace/workspace-data';
import { CxplanDb, SCHEMA_V1, SCHEMA_V2 } from './db';
import { StorageService } from './storage-service';
import { sampleClip } from './test-fixtures';

describe('database upgrade', () => {
  it('upgrades a populated v1 database to the current version with no row lost', async () => {
    const name = `upgrade-${Math.random()}`;
    // A v1 database exactly as the first build declared it: clips had no intent, the outbox had no compound index.
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    const clips = Array.from({ length: 250 }, (_, i) => {
      const { intent: _intent, ...clip } = sampleClip(i);
      return clip;
    });
    await v1.table('evidence').bulkAdd(clips);
    await v1.table('outbox').add({
      id: 'o-1',
      operation: { kind: 'evidence.create', evidenceId: 'clip-0' },
      createdAt: '2026-11-23T09:00:00.000Z',
      attempts: 0,
      status: 'pending',
      nextAttemptAt: 5,
    });
    v1.close();

    const db = new CxplanDb(name);
    await db.open();
    expect(db.verno).toBe(3);
    const storage = new StorageService(db);
    expect(await storage.countEvidence()).toBe(250);
    const all = await storage.list('evidence');
    expect(all).toHaveLength(250);
    expect(all.every((r) => r.intent === 'feedback')).toBe(true);
    expect(all.find((r) => r.id === 'clip-17')?.text).toBe(clips[17]?.text);
    // New indexes work on upgraded rows.
    expect(await db.evidence.where('intent').equals('feedback').count()).toBe(250);
    expect((await storage.dueOutboxItems(10)).map((o) => o.id)).toEqual(['o-1']);
    expect((await storage.list('stages')).length).toBe(7);
    // v3: every row has its heat-map category; v1 rows had no event, so none is in the heat-map index.
    const raw = (await db.evidence.toArray()) as unknown as Record<string, unknown>[];
    expect(raw.every((r) => r.heatCategory === 0)).toBe(true);
    expect(await db.evidence.orderBy('[eventId+heatCategory]').count()).toBe(0);
    db.close();
  });

  it('upgrades a populated v2 database to v3: no row lost, the category filled, the heat map read from the index', async () => {
    const name = `upgrade-v2-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    const sentiments = [undefined, -2, -1, 0, 1, 2] as const;
    const clips = Array.from({ length: 300 }, (_, i) =>
      sampleClip(i, {
        ...(i % 10 === 9 ? {} : { eventId: `ev-${i % 4}` }),
        ...(sentiments[i % 6] === undefined ? {} : { sentiment: sentiments[i % 6] }),
        drivers: i % 3 === 0 ? ['pain'] : i % 3 === 1 ? ['loyalty', 'retention'] : [],
      }),
    );
    await v2.table('evidence').bulkAdd(clips);
    v2.close();

    const db = new CxplanDb(name);
    await db.open();
    expect(db.verno).toBe(3);
    const storage = new StorageService(db);
    expect(await storage.countEvidence()).toBe(300);
    const raw = new Map(
      ((await db.evidence.toArray()) as unknown as Record<string, unknown>[]).map((r) => [r.id, r]),
    );
    for (const clip of clips) expect(raw.get(clip.id)?.heatCategory).toBe(heatMapCategory(clip));
    // Parsed reads give exactly the core's Evidence (the derived field is storage's own).
    expect(await storage.getEvidence('clip-17')).toEqual(clips[17]);

    const data = new WorkspaceData(storage);
    const { evidenceCount: _n, ...snap } = await data.snapshot();
    const events = [0, 1, 2, 3].map((i) => ({
      id: `ev-${i}`,
      stageId: 'stage-pay',
      name: `Event ${i}`,
      drivers: i === 2 ? (['pain'] as const) : [],
    }));
    const ws = { ...snap, events: events.map((e) => ({ ...e, drivers: [...e.drivers] })) };
    const counts = await data.heatMapCounts();
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(270);
    const fromIndex = computeHeatMapFromCounts(ws, counts);
    const fromRows = computeHeatMap({ ...ws, evidence: clips });
    expect(fromIndex.ranked.map((c) => [c.eventId, c.score, c.volume, c.rank])).toEqual(
      fromRows.ranked.map((c) => [c.eventId, c.score, c.volume, c.rank]),
    );
    // One opened cell explains itself from that event's rows alone, as the full map would.
    const cell = await data.explainCell(ws, 'ev-2');
    expect(cell?.contributions).toEqual(fromRows.ranked.find((c) => c.eventId === 'ev-2')?.contributions);
    expect(cell?.contributions.length).toBe(10);
    db.close();
  });
});
