import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { CxplanDb, SCHEMA_V1 } from './db';
import { StorageService } from './storage-service';
import { sampleClip } from './test-fixtures';

describe('database upgrade', () => {
  it('upgrades a populated v1 database to the current version with no row lost (the outbox gives way to the replica)', async () => {
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
    expect(db.verno).toBe(4);
    const storage = new StorageService(db);
    expect(await storage.countEvidence()).toBe(250);
    const all = await storage.list('evidence');
    expect(all).toHaveLength(250);
    expect(all.every((r) => r.intent === 'feedback')).toBe(true);
    expect(all.find((r) => r.id === 'clip-17')?.text).toBe(clips[17]?.text);
    // New indexes work on upgraded rows.
    expect(await db.evidence.where('intent').equals('feedback').count()).toBe(250);
    // v4 drops the push-only outbox: what it waited to send is a local row, uploaded when the browser connects.
    expect(db.tables.map((t) => t.name)).not.toContain('outbox');
    expect(await db.syncOps.count()).toBe(0);
    expect((await storage.list('stages')).length).toBe(7);
    // v3 counted the upgraded rows for the heat map: none is placed on an event, none was tagged.
    expect(await storage.heatMapCounts()).toEqual([{ eventId: '', category: 0, count: 250 }]);
    expect(await db.evidence.where('untaggedAt').aboveOrEqual('').count()).toBe(250);
    db.close();
  });
});
