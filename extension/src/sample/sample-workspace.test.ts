import { emptyWorkspace, findDanglingReferences, parseWith, WorkspaceSchema } from '@cxplan/core';
import { describe, expect, it } from 'vitest';
import { CxplanDb } from '../storage/db';
import { StorageService } from '../storage/storage-service';
import { sampleClip } from '../storage/test-fixtures';
import { WorkspaceData } from '../workspace/workspace-data';
import {
  buildSampleWorkspace,
  hasSampleWorkspace,
  loadSampleWorkspace,
  removeSampleWorkspace,
  SAMPLE_PREFIX,
} from './sample-workspace';

describe('sample workspace', () => {
  it('is a valid workspace with no dangling references, every id marked as sample', () => {
    const sample = buildSampleWorkspace(new Date('2026-11-23T10:00:00Z'));
    const ws = { ...emptyWorkspace(), ...sample, contributions: [] };
    const parsed = parseWith(WorkspaceSchema, ws);
    expect(parsed.ok && findDanglingReferences(parsed.value)).toEqual([]);
    const ids = [
      sample.departments,
      sample.people,
      sample.cycles,
      sample.events,
      sample.evidence,
      sample.orgGoals,
      sample.deptGoals,
      sample.actions,
    ]
      .flat()
      .map((r) => r.id);
    expect(ids.every((id) => id.startsWith(SAMPLE_PREFIX))).toBe(true);
  });

  it('loads through the storage service and is removed without touching the user’s own rows', async () => {
    const data = new WorkspaceData(new StorageService(new CxplanDb(`sample-${Math.random()}`)));
    await data.save('people', { id: 'mine', name: 'Ada', role: 'manager' });
    await data.storage.addCapture(sampleClip(1, { eventId: 'my-event', sentiment: -2 }));
    await loadSampleWorkspace(data, new Date('2026-11-23T10:00:00Z'));
    const loaded = await data.snapshot();
    expect(hasSampleWorkspace(loaded)).toBe(true);
    expect(loaded.evidenceCount).toBeGreaterThan(50);
    expect(loaded.settings.currentCycleId).toBe('sample-cycle');
    expect((await data.heatMapCounts()).length).toBeGreaterThan(5);
    await removeSampleWorkspace(data);
    const after = await data.snapshot();
    expect(hasSampleWorkspace(after)).toBe(false);
    expect(after.evidenceCount).toBe(1);
    // The heat-map counts followed the deleted rows: only the user's own clip is left (sentiment −2 = slot 1).
    expect(await data.heatMapCounts()).toEqual([{ eventId: 'my-event', category: 8, count: 1 }]);
    expect(after.people.map((p) => p.id)).toEqual(['mine']);
    expect(after.organisation).toEqual({ name: 'My organisation', businessObjectives: [] });
    expect(after.settings.currentCycleId).toBeUndefined();
  });
});
