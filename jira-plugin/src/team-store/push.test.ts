import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('pushing operations into the team store (real MariaDB through @forge/sql)', () => {
  let team: TeamFixture;
  beforeEach(async () => {
    team = await teamFixture();
    await seedOrganisation(team);
  });
  afterEach(() => team.close());

  it('stores clips with the capturer set by the server and keeps heat counts in step', async () => {
    const results = await team.push('sam', [
      createOp('evidence', clip(1, { eventId: 'e1', sentiment: -2 })),
      createOp('evidence', clip(2, { eventId: 'e1', sentiment: -2 })),
      createOp('evidence', clip(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const stored = await readStates(team.sql, 'evidence', ['clip-1']);
    expect(stored.get('clip-1')?.body.origin).toMatchObject({ capturedBy: 'Sam Staff', capturedById: 'sam' });
    expect(await readHeatCounts(team.sql)).toEqual(
      expect.arrayContaining([
        { eventId: 'e1', category: 8, count: 2 },
        { eventId: '', category: 0, count: 1 },
      ]),
    );
    // Moving a clip to another event recounts both.
    await team.push('sam', [putOp('evidence', 'clip-1', 1, { eventId: 'e2' })]);
    expect((await readHeatCounts(team.sql)).filter((c) => c.eventId !== '')).toEqual(
      expect.arrayContaining([
        { eventId: 'e1', category: 8, count: 1 },
        { eventId: 'e2', category: 8, count: 1 },
      ]),
    );
  });

  it('answers a retried push with duplicates and changes nothing', async () => {
    const ops = [createOp('evidence', clip(1)), createOp('evidence', clip(2))];
    await team.push('sam', ops);
    const again = await team.push('sam', ops);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
  });

  it('refuses staff editing an organisation goal, with the reason, and applies the rest of the batch', async () => {
    await team.push('lee', [
      createOp('cycles', {
        id: 'c1',
        name: '2027',
        start: '2027-01-01',
        end: '2027-12-31',
        status: 'active',
      }),
    ]);
    const goal = {
      id: 'og1',
      cycleId: 'c1',
      title: 'One call solves it',
      metric: {
        name: 'FCR',
        unit: '%',
        direction: 'increase',
        baseline: 60,
        target: 75,
        due: '2027-06-30',
        readings: [],
      },
      evidenceIds: ['clip-1'],
    };
    expect((await team.push('lee', [createOp('orgGoals', goal)]))[0]?.status).toBe('applied');
    const results = await team.push('sam', [
      putOp('orgGoals', 'og1', 1, { title: 'Mine now' }),
      createOp('evidence', clip(9)),
    ]);
    expect(results[0]).toMatchObject({
      status: 'refused',
      code: 'forbidden',
      message: expect.stringMatching(/Only a leader/),
    });
    expect(results[1]?.status).toBe('applied');
  });
});
