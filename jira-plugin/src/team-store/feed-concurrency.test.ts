import type { TeamChange } from '@cxplan/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clip,
  createOp,
  putOp,
  seedOrganisation,
  type TeamFixture,
  teamFixture,
} from '../testing/team-fixture';
import { encodeCursor, type FeedDeps, pullPage } from './feed';
import { select } from './sql';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The feed's one promise, on the real server under concurrent writers: a pull from a cursor never misses a
 * committed change. The hazard is a row stamped early that commits late (a slow statement; in TiDB also an id
 * handed out before its row commits): by the time it is visible, a reader has already moved past its position.
 * Here a held transaction plays that slow statement (stamped with NOW(6), committed 3 s later, within the 10 s
 * Forge allows a DML statement) while pushes commit rows after it and a replica pulls all the while.
 */
describe('the change feed under concurrent writers (real MariaDB)', () => {
  let team: TeamFixture;
  beforeAll(async () => {
    team = await teamFixture();
    await seedOrganisation(team);
  });
  afterAll(() => team.close());

  it('never misses a committed change, even one stamped before rows that committed earlier', async () => {
    const deps: FeedDeps = { sql: team.sql, kv: team.kv, now: Date.now };
    const seen = new Map<string, number>();
    const positionsWhenSeen = new Map<string, string>();
    let latestSeenStamp = '';
    let cursor: string | undefined;
    let stop = false;
    const record = (changes: readonly TeamChange[]) => {
      for (const c of changes) {
        if ((seen.get(c.id) ?? 0) < c.version) seen.set(c.id, c.version);
        if (!positionsWhenSeen.has(c.id)) positionsWhenSeen.set(c.id, latestSeenStamp);
        if (c.changedAt > latestSeenStamp) latestSeenStamp = c.changedAt;
      }
    };
    const puller = (async () => {
      while (!stop) {
        const page = await pullPage(deps, cursor, 50);
        record(page.changes);
        cursor = encodeCursor(page.cursor);
        await sleep(page.more ? 50 : 150);
      }
    })();

    // The slow statement: a clip stamped now, committed in 3 s.
    const held = team.db.connection;
    await held.query('START TRANSACTION');
    await held.query(
      `INSERT INTO cx_evidence (id, version, deleted, changed_at, changed_by, captured_by, event_id, heat_cat, body, meta)
       VALUES ('slow-clip', 1, 0, NOW(6), 'sam', 'sam', '', 0, ?, NULL)`,
      [
        JSON.stringify({
          text: 'a slow one',
          sourceKind: 'customer',
          drivers: [],
          origin: { capturedBy: 'Sam Staff', capturedAt: '2026-12-01T10:00:00.000Z', via: 'clip' },
        }),
      ],
    );
    const stampOfSlow = (await held.query(
      "SELECT DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f') AS t FROM cx_evidence WHERE id = 'slow-clip'",
    )) as unknown as [Array<{ t: string }>];
    const commitSlow = sleep(3_000).then(() => held.query('COMMIT'));

    // Four writers push new clips and re-tag old ones concurrently for about 4 s.
    const writer = async (w: number) => {
      for (let round = 0; round < 12; round++) {
        const ops = Array.from({ length: 8 }, (_, i) =>
          createOp('evidence', clip(0, { id: `w${w}-r${round}-${i}`, eventId: `e${i % 3}` })),
        );
        if (round > 0) ops.push(putOp('evidence', `w${w}-r${round - 1}-0`, 1, { sentiment: 1 }));
        await team.push('sam', ops);
        // About 9 statements a push: four writers and the puller stay under Forge's 150 requests per second.
        await sleep(600);
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    await commitSlow;
    // Keep pulling a little after the last commit, as a replica would on its next polls.
    await sleep(1_500);
    stop = true;
    await puller;
    const final = await pullPage(deps, cursor, 5000);
    record(final.changes);
    // One more from the durable position (the next poll after the safety window had not passed yet).
    const again = await pullPage(deps, cursor, 5000);
    record(again.changes);

    const truth = await select<{ id: string; version: number }>(
      team.sql,
      'SELECT id, version FROM cx_evidence',
    );
    expect(truth.length).toBeGreaterThan(4 * 12 * 8);
    const missing = truth.filter((row) => (seen.get(row.id) ?? 0) < Number(row.version));
    expect(missing).toEqual([]);

    // The hazard really happened: rows stamped after the slow clip had been delivered before it became visible,
    // so a cursor that simply moved to the newest row delivered would have skipped it.
    const slowStamp = stampOfSlow[0][0]?.t ?? '';
    expect(slowStamp).not.toBe('');
    const beforeSlow = positionsWhenSeen.get('slow-clip') ?? '';
    expect(beforeSlow > slowStamp.replace(' ', 'T')).toBe(true);
  }, 60_000);
});
