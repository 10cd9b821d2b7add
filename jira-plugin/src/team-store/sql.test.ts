import { sql } from '@forge/sql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TeamFixture, teamFixture } from '../testing/team-fixture';
import { STATEMENTS_PER_SECOND, select } from './sql';

describe('statements to Forge SQL (real MariaDB behind the Forge SQL double, its request limit enforced)', () => {
  let team: TeamFixture;
  beforeEach(async () => {
    team = await teamFixture();
  });
  afterEach(() => team.close());

  it('given a long run of single statements, when one invocation sends them back to back, then it stays under 150 a second', async () => {
    const started = Date.now();
    const n = STATEMENTS_PER_SECOND * 2 + 20;
    for (let i = 0; i < n; i++) await select(sql, 'SELECT id FROM cx_settings WHERE id = ?', ['settings']);
    // Forge answers 429 above 150 requests a second (the double does too): pacing spread them over 2+ seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });
});
