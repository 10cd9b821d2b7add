import type { TeamChange } from '@cxplan/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clip,
  createOp,
  putOp,
  seedOrganisation,
  type TeamFixture,
  teamFixture,
} from '../testing/team-fixture';
import { decodeCursor, encodeCursor, type FeedCursor, type FeedDeps, pullPage } from './feed';

/** Pulls until caught up, returning every change and the last cursor. */
async function pullAll(
  deps: FeedDeps,
  cursor?: string,
  limit = 2000,
): Promise<{ changes: TeamChange[]; cursor: string; pages: number }> {
  const changes: TeamChange[] = [];
  let pages = 0;
  let current = cursor;
  for (;;) {
    const page = await pullPage(deps, current, limit);
    pages++;
    changes.push(...page.changes);
    current = encodeCursor(page.cursor);
    if (!page.more) return { changes, cursor: current, pages };
  }
}

describe('the change feed', () => {
  let team: TeamFixture;
  let deps: FeedDeps;
  let clock = Date.now();
  beforeEach(async () => {
    team = await teamFixture();
    clock = Date.now();
    deps = { sql: team.sql, kv: team.kv, now: () => clock };
    team.deps.now = () => clock;
    await seedOrganisation(team);
  });
  afterEach(() => team.close());

  it('a first pull delivers every entity, the heat counts and the newest clips', async () => {
    await team.push(
      'sam',
      [1, 2, 3].map((i) => createOp('evidence', clip(i, { eventId: 'e1' }))),
    );
    const first = await pullPage(deps, undefined);
    expect(first.first?.heatCounts).toEqual([{ eventId: 'e1', category: 0, count: 3 }]);
    expect(first.first?.recent.map((c) => c.id).sort()).toEqual(['clip-1', 'clip-2', 'clip-3']);
    const kinds = first.changes.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'people')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'evidence')).toHaveLength(3);
    expect(first.more).toBe(false);
  });

  it('pages through many changes with a small limit and never repeats a row within one catch-up', async () => {
    await team.push(
      'sam',
      Array.from({ length: 120 }, (_, i) => createOp('evidence', clip(i))),
    );
    const { changes, pages } = await pullAll(deps, undefined, 25);
    const ids = changes.filter((c) => c.kind === 'evidence').map((c) => c.id);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
    expect(pages).toBeGreaterThan(4);
  });

  it('an idle pull is answered from the KVS head with no SQL; a change makes the next pull read it', async () => {
    await team.push('sam', [createOp('evidence', clip(1))]);
    let { cursor } = await pullAll(deps);
    // The writes' announced window ends; a pull served after it with nothing new since is idle.
    clock += 60_000;
    ({ cursor } = await pullAll(deps, cursor));
    clock += 1_000;
    team.db.stats.reset();
    const idle = await pullPage(deps, cursor);
    expect(idle.idle).toBe(true);
    expect(idle.changes).toEqual([]);
    expect(team.db.stats.statements).toHaveLength(0);

    await team.push('sam', [putOp('evidence', 'clip-1', 1, { sentiment: 1 })]);
    const after = await pullPage(deps, cursor);
    expect(after.idle).toBe(false);
    expect(after.changes.find((c) => c.id === 'clip-1')?.version).toBe(2);
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(pullPage(deps, 'not-a-cursor')).rejects.toThrow(/not one this server gave out/);
    const real = decodeCursor((await pullAll(deps)).cursor) as FeedCursor;
    const forged = encodeCursor({ ...real, v: 2 } as unknown as FeedCursor);
    await expect(pullPage(deps, forged)).rejects.toThrow(/not one this server gave out/);
  });

  it('delivers deletes as tombstones without a body', async () => {
    await team.push('sam', [createOp('evidence', clip(1))]);
    const { cursor } = await pullAll(deps);
    await team.push('sam', [
      { opId: 'del-1', kind: 'evidence', id: 'clip-1', baseVersion: 1, type: 'delete' },
    ]);
    const { changes } = await pullAll(deps, cursor);
    expect(changes.find((c) => c.id === 'clip-1')).toMatchObject({ deleted: true, version: 2 });
    expect(changes.find((c) => c.id === 'clip-1')?.body).toBeUndefined();
  });
});
