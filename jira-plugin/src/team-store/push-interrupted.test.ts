import type { TeamOp } from '@cxplan/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clip,
  createOp,
  putOp,
  seedOrganisation,
  type TeamFixture,
  teamFixture,
} from '../testing/team-fixture';
import { readStates } from './entity-rows';
import { readHeatCounts } from './heat-counts';
import { select } from './sql';

class Killed extends Error {}

/** One push's worth of work under a prefix: new clips on two events, two existing clips re-tagged. */
function batch(prefix: string): TeamOp[] {
  return [
    ...[0, 1, 2].map((i) =>
      createOp(
        'evidence',
        // Events of its own, so a later round's recount cannot hide a count this round left wrong.
        clip(0, { id: `${prefix}-new-${i}`, eventId: `${prefix}-e${i === 0 ? 1 : 2}`, sentiment: -1 }),
      ),
    ),
    putOp('evidence', `${prefix}-old-0`, 1, { eventId: `${prefix}-e2`, sentiment: 2 }),
    putOp('evidence', `${prefix}-old-1`, 1, { eventId: `${prefix}-e3` }),
  ];
}

describe('a push killed between any two statements converges when retried (no transactions in Forge SQL)', () => {
  let team: TeamFixture;
  let statementsOfAFullPush = 0;
  beforeAll(async () => {
    team = await teamFixture();
    await seedOrganisation(team);
    // Count the statements an uninterrupted push makes.
    await team.push(
      'sam',
      ['ref-old-0', 'ref-old-1'].map((id) => createOp('evidence', clip(0, { id, eventId: 'ref-e1' }))),
    );
    await team.push('sam', batch('ref'), { afterStatement: () => statementsOfAFullPush++ });
  });
  afterAll(() => team.close());

  it('the uninterrupted push writes in several statements (marks, inserts, updates, recount, unmark)', () => {
    expect(statementsOfAFullPush).toBeGreaterThanOrEqual(5);
  });

  it('for every statement it can die after, the retry applies each operation once and the counts are exact', async () => {
    for (let k = 1; k <= statementsOfAFullPush; k++) {
      // Three pushes of ~12 requests each per round: pace the rounds under Forge SQL's 150 requests per second.
      await new Promise((r) => setTimeout(r, 300));
      const prefix = `k${k}`;
      await team.push(
        'sam',
        [`${prefix}-old-0`, `${prefix}-old-1`].map((id) =>
          createOp('evidence', clip(0, { id, eventId: `${prefix}-e1` })),
        ),
      );
      const ops = batch(prefix);
      let n = 0;
      await expect(
        team.push('sam', ops, {
          afterStatement: () => {
            if (++n === k) throw new Killed(`killed after statement ${k}`);
          },
        }),
      ).rejects.toBeInstanceOf(Killed);
      const retried = await team.push('sam', ops);
      expect(
        retried.map((r) => r.status).every((s) => s === 'applied' || s === 'duplicate'),
        `after a kill at ${k}`,
      ).toBe(true);
      const stored = await readStates(
        team.sql,
        'evidence',
        ops.map((op) => op.id),
      );
      expect(ops.map((op) => stored.get(op.id)?.version)).toEqual([1, 1, 1, 2, 2]);
      expect(stored.get(`${prefix}-old-0`)?.body).toMatchObject({ eventId: `${prefix}-e2`, sentiment: 2 });
    }
    // The stored counts equal a full recount of the clips (the killed pushes' marks were repaired by their retries).
    const truth = await select<{ event_id: string; heat_cat: number; n: number }>(
      team.sql,
      'SELECT event_id, heat_cat, COUNT(*) AS n FROM cx_evidence WHERE deleted = 0 GROUP BY event_id, heat_cat',
    );
    const counts = await readHeatCounts(team.sql);
    expect(counts.map((c) => [c.eventId, c.category, c.count]).sort()).toEqual(
      truth.map((t) => [t.event_id, Number(t.heat_cat), Number(t.n)]).sort(),
    );
  });
});
