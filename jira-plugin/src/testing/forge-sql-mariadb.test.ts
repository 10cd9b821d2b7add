import { ForgeSQLAPIError, migrationRunner, sql } from '@forge/sql';
import type { RowDataPacket } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ForgeSqlInstallation,
  type ForgeSqlOptions,
  installForgeSql,
  REFUSALS,
} from './forge-sql-mariadb';

// Every test goes through the real @forge/sql package (its SqlClient, error handling and migrationRunner), so
// what passes here is what the app's code sees.

const installed: ForgeSqlInstallation[] = [];
async function install(options?: ForgeSqlOptions): Promise<ForgeSqlInstallation> {
  const installation = await installForgeSql(options);
  installed.push(installation);
  return installation;
}
afterEach(async () => {
  // Newest first: each uninstall restores the handler that was there before it.
  for (const installation of installed.splice(0).reverse()) await installation.uninstall();
});

const CREATE_TEAMS =
  'CREATE TABLE teams (id VARCHAR(64) PRIMARY KEY, name VARCHAR(255) NOT NULL, size INT NOT NULL, createdAt DATETIME(3) NOT NULL)';

/** Runs `work` and returns the ForgeSQLAPIError it throws (the test fails if it throws anything else). */
async function forgeError(work: () => Promise<unknown>): Promise<ForgeSQLAPIError> {
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ForgeSQLAPIError);
  return error as ForgeSQLAPIError;
}

describe('Forge SQL on MariaDB, through the real @forge/sql', () => {
  it('given enqueued migrations, when the runner runs twice, then each DDL ran once and is recorded in __migrations', async () => {
    const db = await install();
    const runner = migrationRunner
      .enqueue('v001_create_teams', CREATE_TEAMS)
      .enqueue('v002_index_team_name', 'CREATE INDEX idx_teams_name ON teams (name)');

    expect(await runner.run()).toEqual(['v001_create_teams', 'v002_index_team_name']);
    expect(await runner.run()).toEqual([]);

    const listed = await runner.list();
    expect(listed.map((m) => m.name)).toEqual(['v001_create_teams', 'v002_index_team_name']);
    expect(listed.every((m) => !Number.isNaN(m.migratedAt.getTime()))).toBe(true);
    const [indexes] = await db.connection.query<RowDataPacket[]>('SHOW INDEX FROM teams WHERE Key_name = ?', [
      'idx_teams_name',
    ]);
    expect(indexes).toHaveLength(1);
  });

  it('given a table, when rows are inserted and selected with bound params, then they round-trip in Forge’s shapes', async () => {
    const db = await install();
    await sql.executeDDL(CREATE_TEAMS);

    const inserted = await sql
      .prepare('INSERT INTO teams (id, name, size, createdAt) VALUES (?, ?, ?, ?)')
      .bindParams('t-1', 'Support 🎧', 7, '2026-03-01 09:30:00.250')
      .execute();
    expect(inserted.rows).toMatchObject({ affectedRows: 1, insertId: 0, warningStatus: 0 });

    const selected = await sql
      .prepare<{ id: string; name: string; size: number; createdAt: string }>(
        'SELECT id, name, size, createdAt FROM teams WHERE name = ? AND size > ?',
      )
      .bindParams('Support 🎧', 5)
      .execute();
    expect(selected.rows).toEqual([
      { id: 't-1', name: 'Support 🎧', size: 7, createdAt: '2026-03-01 09:30:00.250' },
    ]);
    expect(selected.metadata?.fields.map((f: { name: string }) => f.name)).toEqual([
      'id',
      'name',
      'size',
      'createdAt',
    ]);

    // utf8mb4_bin, like TiDB's default: comparisons are case-sensitive.
    const other = await sql.prepare('SELECT id FROM teams WHERE name = ?').bindParams('support 🎧').execute();
    expect(other.rows).toEqual([]);

    expect(db.stats.statements.map((s) => [s.endpoint, s.kind, s.rows])).toEqual([
      ['ddl', 'ddl', 0],
      ['execute', 'dml', 1],
      ['execute', 'select', 1],
      ['execute', 'select', 0],
    ]);
    expect(
      db.stats.statements.every((s) => s.durationMs > 0 && s.requestBytes > 0 && s.responseBytes > 0),
    ).toBe(true);
  });

  it('given a row, when the same key is inserted again, then a ForgeSQLAPIError carries the server errno 1062', async () => {
    await install();
    await sql.executeDDL(CREATE_TEAMS);
    const insert = () =>
      sql
        .prepare('INSERT INTO teams (id, name, size, createdAt) VALUES (?, ?, ?, ?)')
        .bindParams('t-1', 'Support', 3, '2026-03-01 09:30:00')
        .execute();
    await insert();

    const error = await forgeError(insert);
    expect(error.code).toBe('SQL_EXECUTION_ERROR');
    expect(error.responseDetails.status).toBe(400);
    expect(error.context).toMatchObject({
      debug: { errno: 1062, code: 'ER_DUP_ENTRY', sqlState: '23000' },
      queryType: 'insert',
    });
  });

  it('given DDL sent to the DML endpoint, when it runs, then the DML user is denied as in Forge', async () => {
    await install();
    const error = await forgeError(() => sql.prepare(CREATE_TEAMS).execute());
    expect(error.context).toMatchObject({ debug: { errno: 1142, code: 'ER_TABLEACCESS_DENIED_ERROR' } });
  });

  it('given two statements in one query, when sent, then the server refuses both and nothing ran', async () => {
    const db = await install();
    await sql.executeDDL(CREATE_TEAMS);

    const error = await forgeError(() =>
      sql
        .prepare(
          "INSERT INTO teams (id, name, size, createdAt) VALUES ('a', 'A', 1, NOW()); DELETE FROM teams",
        )
        .execute(),
    );
    expect(error.context).toMatchObject({ debug: { errno: 1064 } });
    const [rows] = await db.connection.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM teams');
    expect(rows[0]?.n).toBe(0);
  });

  it('given a bound LIMIT or OFFSET, when sent, then it is refused as INVALID_SQL_QUERY naming the clause', async () => {
    await install();
    await sql.executeDDL(CREATE_TEAMS);

    for (const query of ['SELECT id FROM teams LIMIT ?', 'SELECT id FROM teams LIMIT 10 OFFSET ?']) {
      const error = await forgeError(() => sql.prepare(query).bindParams(5).execute());
      expect(error.code).toBe('INVALID_SQL_QUERY');
      expect(error.message).toMatch(/LIMIT\/OFFSET/);
    }
    // Literals are fine, and so is the text "LIMIT ?" inside a string.
    const fine = await sql
      .prepare("SELECT id FROM teams WHERE name <> 'LIMIT ?' AND size > ? ORDER BY id LIMIT 10 OFFSET 20")
      .bindParams(0)
      .execute();
    expect(fine.rows).toEqual([]);
  });

  it('given a request over 1 MiB, when sent, then it is refused before it reaches the server', async () => {
    const db = await install();
    await sql.executeDDL('CREATE TABLE notes (id INT PRIMARY KEY, body LONGTEXT NOT NULL)');

    const error = await forgeError(() =>
      sql
        .prepare('INSERT INTO notes (id, body) VALUES (?, ?)')
        .bindParams(1, 'x'.repeat(1024 * 1024))
        .execute(),
    );
    expect(error.code).toBe(REFUSALS.requestTooLarge);
    expect(error.responseDetails.status).toBe(413);
    expect(db.stats.statements.at(-1)).toMatchObject({ durationMs: 0, status: 413 });
  });

  it('given a response over the response limit, when selected, then it is refused after running and its time counts', async () => {
    const db = await install({ limits: { responseBytes: 1_000 } });

    const error = await forgeError(() => sql.prepare("SELECT REPEAT('x', 2000) AS big").execute());
    expect(error.code).toBe(REFUSALS.responseTooLarge);
    expect(db.stats.statements.at(-1)).toMatchObject({
      status: 400,
      rows: 1,
      errorCode: REFUSALS.responseTooLarge,
    });
    expect(db.stats.totalDurationMs()).toBeGreaterThan(0);
  });

  it('given a SELECT slower than the SELECT timeout, when it runs, then the server interrupts it and Forge answers QUERY_TIMED_OUT', async () => {
    const db = await install({ limits: { selectTimeoutMs: 300 } });

    const started = Date.now();
    const error = await forgeError(() => sql.prepare('SELECT SLEEP(6) AS slept').execute());
    expect(error.code).toBe('QUERY_TIMED_OUT');
    expect(error.context).toMatchObject({ debug: { errno: 1969 }, queryType: 'select' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(db.stats.statements.at(-1)?.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('given a small query-time budget, when it is spent, then requests are refused until the window has passed', async () => {
    await install({ limits: { queryTimeBudgetMs: 150, queryTimeWindowMs: 1_000 } });

    await sql.prepare('SELECT SLEEP(0.2) AS slept').execute();
    const error = await forgeError(() => sql.prepare('SELECT 1 AS one').execute());
    expect(error.responseDetails.status).toBe(429);
    expect(error.code).toBe(REFUSALS.rateLimited);
    expect(error.context).toMatchObject({ limit: 'queryTimeBudget', budgetMs: 150 });

    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await sql.prepare('SELECT 1 AS one').execute()).rows).toEqual([{ one: 1 }]);
  });

  it('given a low DML rate, when more requests arrive within a second, then the extra ones are refused', async () => {
    await install({ limits: { dmlRequestsPerSecond: 3 } });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => sql.prepare('SELECT 1 AS one').execute()),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as ForgeSQLAPIError] : []));
    expect(refused.map((e) => [e.responseDetails.status, e.context?.limit])).toEqual([
      [429, 'dmlRequestsPerSecond'],
      [429, 'dmlRequestsPerSecond'],
    ]);
  });

  it('given a session statement or a foreign key, when sent, then it is refused as Forge SQL keeps neither', async () => {
    await install();
    expect((await forgeError(() => sql.prepare('START TRANSACTION').execute())).code).toBe(
      'INVALID_SQL_QUERY',
    );
    await sql.executeDDL('CREATE TABLE parents (id INT PRIMARY KEY)');
    const fk = await forgeError(() =>
      sql.executeDDL(
        'CREATE TABLE children (id INT PRIMARY KEY, parentId INT, FOREIGN KEY (parentId) REFERENCES parents (id))',
      ),
    );
    expect(fk.message).toMatch(/Foreign keys/);
  });

  it('given two installations, when each writes, then neither sees the other’s data', async () => {
    const first = await install();
    await sql.executeDDL(CREATE_TEAMS);
    await sql
      .prepare('INSERT INTO teams (id, name, size, createdAt) VALUES (?, ?, ?, ?)')
      .bindParams('t-1', 'First', 1, '2026-01-01 00:00:00')
      .execute();

    // The newer installation answers @forge/sql from now on.
    const second = await install();
    expect(second.database).not.toBe(first.database);
    const missing = await forgeError(() => sql.prepare('SELECT id FROM teams').execute());
    expect(missing.context).toMatchObject({ debug: { errno: 1146 } });
    await sql.executeDDL(CREATE_TEAMS);
    expect((await sql.prepare('SELECT id FROM teams').execute()).rows).toEqual([]);

    const [firstRows] = await first.connection.query<RowDataPacket[]>('SELECT id FROM teams');
    expect(firstRows.map((r) => r.id)).toEqual(['t-1']);
  });

  it('given an installation, when uninstalled, then the handler installed before it answers again', async () => {
    const host = globalThis as { __forge_fetch__?: unknown };
    const before = host.__forge_fetch__;
    const db = await installForgeSql();
    expect(host.__forge_fetch__).not.toBe(before);
    await db.uninstall();
    expect(host.__forge_fetch__).toBe(before);
  });
});
