import { ParseError } from '@cxplan/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { CxplanDb } from './db';
import { MissingRowError, StorageService } from './storage-service';
import { connectForTest, must, sampleClip } from './test-fixtures';

let db: CxplanDb;
let storage: StorageService;
let ids = 0;

beforeEach(async () => {
  db = new CxplanDb(`test-${Math.random()}`);
  storage = new StorageService(
    db,
    () => Date.UTC(2026, 10, 23, 10),
    () => `id-${++ids}`,
  );
});

describe('StorageService', () => {
  it('stores a capture; used alone it records nothing for a team', async () => {
    await storage.addCapture(sampleClip(1));
    expect(await storage.getEvidence('clip-1')).toMatchObject({ id: 'clip-1', intent: 'feedback' });
    expect(await db.syncOps.count()).toBe(0);
  });

  it('connected to a team, stores a capture and its waiting change in one go', async () => {
    await connectForTest(db);
    await storage.addCapture(sampleClip(1));
    const ops = await db.syncOps.toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({
      kind: 'evidence',
      id: 'clip-1',
      baseVersion: 0,
      type: 'put',
      status: 'pending',
    });
    expect(ops[0]?.fields).toMatchObject({ text: sampleClip(1).text, sourceKind: 'customer' });
  });

  it("records nothing while the person has not yet answered whether to upload this browser's workspace", async () => {
    await connectForTest(db, 'confirm-upload');
    await storage.addCapture(sampleClip(1));
    expect(await db.syncOps.count()).toBe(0);
  });

  it('refuses an invalid capture with an error naming the field and stores nothing', async () => {
    const bad = { ...sampleClip(2), origin: { ...sampleClip(2).origin, capturedAt: 'yesterday' } };
    await connectForTest(db);
    await expect(storage.addCapture(bad)).rejects.toThrow(/origin\.capturedAt/);
    expect(await storage.countEvidence()).toBe(0);
    expect(await db.syncOps.count()).toBe(0);
  });

  it('writes neither the clip nor its waiting change when the clip id already exists', async () => {
    await connectForTest(db);
    await storage.addCapture(sampleClip(3));
    await expect(storage.addCapture(sampleClip(3))).rejects.toThrow();
    expect(await db.syncOps.count()).toBe(1);
  });

  it('given rows already stored, when bulk-added with skipExisting, then only the new ones are written', async () => {
    await storage.bulkAddEvidence([sampleClip(1), sampleClip(2)]);
    // Given a repeated id in the batch too, when added again with two new rows, then 2 are written.
    expect(
      await storage.bulkAddEvidence(
        [sampleClip(1), sampleClip(3), sampleClip(2), sampleClip(4), sampleClip(4)],
        {
          skipExisting: true,
        },
      ),
    ).toBe(2);
    expect(await storage.countEvidence()).toBe(4);
    expect(await storage.bulkAddEvidence([sampleClip(3)], { skipExisting: true })).toBe(0);
    // Without it, an existing id fails the whole batch, as before.
    await expect(storage.bulkAddEvidence([sampleClip(5), sampleClip(1)])).rejects.toThrow();
    expect(await storage.countEvidence()).toBe(4);
  });

  it('lists the clips of one page, newest first', async () => {
    await storage.addCapture(sampleClip(1));
    await storage.addCapture(sampleClip(5));
    const other = 'https://other.example.com/';
    await storage.addCapture(sampleClip(9, { target: { ...must(sampleClip(9).target), source: other } }));
    const rows = await storage.listEvidenceForPage('https://reviews.example.com/product/42');
    expect(rows.map((r) => r.id)).toEqual(['clip-5', 'clip-1']);
  });

  it('tags a clip, clears a field with null, and keeps the row when tags are invalid', async () => {
    await storage.addCapture(sampleClip(1));
    const tagged = await storage.tagEvidence('clip-1', {
      sentiment: -2,
      stageId: 'stage-pay',
      drivers: ['pain'],
    });
    expect(tagged).toMatchObject({ sentiment: -2, stageId: 'stage-pay', drivers: ['pain'] });
    expect(tagged.taggedAt).toBe('2026-11-23T10:00:00.000Z');
    const cleared = await storage.tagEvidence('clip-1', { stageId: null });
    expect(cleared.stageId).toBeUndefined();
    await expect(storage.tagEvidence('clip-1', { sentiment: 7 })).rejects.toThrow(
      /tags: sentiment must be between -2 and 2/,
    );
    expect((await storage.getEvidence('clip-1'))?.sentiment).toBe(-2);
    await expect(storage.tagEvidence('nope', {})).rejects.toBeInstanceOf(MissingRowError);
  });

  it('folds a tag into the capture still waiting to be sent (one change, the newest values)', async () => {
    await connectForTest(db);
    await storage.addCapture(sampleClip(1));
    await storage.tagEvidence('clip-1', { sentiment: 1 });
    const ops = await db.syncOps.toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]?.fields).toMatchObject({ sentiment: 1, text: sampleClip(1).text });
  });

  it("keeps a row's team version across local edits, and records the edit on that version", async () => {
    await db.transaction('rw', ['evidence', 'heatCounts'], () =>
      db.evidence.add({ ...sampleClip(4), _v: 6 } as never),
    );
    await connectForTest(db);
    await storage.tagEvidence('clip-4', { sentiment: -1 });
    expect(((await db.evidence.get('clip-4')) as unknown as { _v: number })._v).toBe(6);
    const [op] = await db.syncOps.toArray();
    expect(op).toMatchObject({
      baseVersion: 6,
      fields: { sentiment: -1, taggedAt: '2026-11-23T10:00:00.000Z' },
    });
  });

  it('reports a damaged stored row by field on get, and skips it (without deleting) in lists', async () => {
    // Damaged behind the service's back (as an older build or a bug might leave it).
    await db.transaction('rw', ['evidence', 'heatCounts'], () =>
      db.evidence.add({ ...sampleClip(7), sentiment: 2 }),
    );
    await db.transaction('rw', ['evidence', 'heatCounts'], () =>
      db.evidence.update('clip-7', { sentiment: 9 } as never),
    );
    await expect(storage.getEvidence('clip-7')).rejects.toBeInstanceOf(ParseError);
    await expect(storage.getEvidence('clip-7')).rejects.toThrow(/sentiment/);
    expect(await storage.listEvidenceForPage('https://reviews.example.com/product/42')).toEqual([]);
    expect(await db.evidence.count()).toBe(1);
  });

  it('seeds the default lifecycle stages in a new database', async () => {
    const stages = await storage.list('stages');
    expect(stages.map((s) => s.name)).toContain('Use & Support');
  });

  it('round-trips the workspace, and an invalid restore changes nothing', async () => {
    await storage.addCapture(sampleClip(1));
    await storage.put('events', { id: 'ev-1', stageId: 'stage-pay', name: 'Invoice is clear' });
    const ws = await storage.readWorkspace();
    expect(ws.evidence).toHaveLength(1);
    expect(ws.events).toHaveLength(1);
    await expect(
      storage.replaceWorkspace({ ...ws, events: [{ id: 'ev-2', stageId: 'stage-pay', name: '' }] }),
    ).rejects.toThrow(/events\.0\.name is required/);
    expect(await storage.list('events')).toHaveLength(1);
    await storage.replaceWorkspace({ ...ws, evidence: [] });
    expect(await storage.countEvidence()).toBe(0);
    expect(await storage.list('events')).toHaveLength(1);
  });

  it('refuses a put whose row does not match the collection schema, naming the field', async () => {
    await expect(storage.put('stages', { id: 's', name: 'X', order: 1.5 })).rejects.toThrow(
      /stage: order must be a whole number/,
    );
  });

  it('writes many rows in one go: one invalid row writes none; changed goals and actions are queued once', async () => {
    await storage.put('departments', { id: 'd1', name: 'Ops' });
    await storage.put('cycles', {
      id: 'c1',
      name: 'FY',
      start: '2026-01-01',
      end: '2026-12-31',
      status: 'active',
    });
    await storage.put('deptGoals', { id: 'dg1', cycleId: 'c1', departmentId: 'd1', title: 'Goal' });
    const actions = [1, 2, 3].map((n) => ({
      id: `a${n}`,
      cycleId: 'c1',
      deptGoalId: 'dg1',
      title: `Action ${n}`,
    }));
    await expect(
      storage.putMany('actions', [...actions, { id: 'a4', cycleId: 'c1', title: '' }]),
    ).rejects.toThrow(/action\[3\]: /);
    expect(await storage.list('actions')).toEqual([]);
    await connectForTest(db);
    const before = await db.syncOps.count();
    await storage.putMany('actions', actions);
    expect(await storage.list('actions')).toHaveLength(3);
    expect((await db.syncOps.count()) - before).toBe(3);
    // Saving the same rows again records nothing more (nothing changed).
    await storage.putMany('actions', actions);
    expect((await db.syncOps.count()) - before).toBe(3);
  });
});
