import type { Result, UpdateQueryResponse } from '@forge/sql';

/**
 * The part of `@forge/sql`'s client the team store uses: prepared statements with bound parameters, and DDL. In
 * Forge this is `sql` from `@forge/sql`; tests pass the same object (its HTTP calls answered by a real MariaDB,
 * see testing/forge-sql-mariadb.ts) or a wrapper that fails on purpose between statements.
 */
export interface Sql {
  prepare<T>(query: string): { bindParams(...args: unknown[]): { execute(): Promise<Result<T>> } };
  executeDDL<T>(query: string): Promise<Result<T>>;
}

/** HTTP status of a Forge SQL error, when it has one. */
export function sqlErrorStatus(error: unknown): number | undefined {
  return (error as { responseDetails?: { status?: number } } | undefined)?.responseDetails?.status;
}

/** Statements one invocation sends per second at most: under Forge SQL's 150, leaving room for others. */
export const STATEMENTS_PER_SECOND = 120;

const recent = new WeakMap<Sql, number[]>();

/**
 * Waits, if need be, so this invocation sends at most {@link STATEMENTS_PER_SECOND} statements in any second. A
 * long run of single-row compare-and-set writes (a first Jira sync linking a thousand issues) would otherwise hit
 * Forge SQL's request limit by itself.
 */
async function pace(sql: Sql): Promise<void> {
  const sent = recent.get(sql) ?? [];
  recent.set(sql, sent);
  for (;;) {
    const now = Date.now();
    while (sent.length > 0 && (sent[0] as number) <= now - 1000) sent.shift();
    if (sent.length < STATEMENTS_PER_SECOND) {
      sent.push(now);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, (sent[0] as number) + 1000 - now + 1));
  }
}

/**
 * Runs one statement, paced (see {@link pace}), waiting and trying again (twice, 250 then 500 ms) when Forge SQL
 * still answers 429 — other invocations share the installation's 150 requests per second, which resets every
 * second, so a short wait usually clears a burst of concurrent pushes. A limit that does not clear (the minute's
 * query-time budget) surfaces, and the endpoint answers "busy".
 */
async function execute<T>(sql: Sql, query: string, params: readonly unknown[]): Promise<Result<T>> {
  for (let attempt = 0; ; attempt++) {
    await pace(sql);
    try {
      return await sql
        .prepare<T>(query)
        .bindParams(...params)
        .execute();
    } catch (error) {
      if (sqlErrorStatus(error) !== 429 || attempt >= 2) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/** Runs a SELECT and returns its rows. */
export async function select<T>(sql: Sql, query: string, params: readonly unknown[] = []): Promise<T[]> {
  return (await execute<T>(sql, query, params)).rows as T[];
}

/** Runs an INSERT, UPDATE or DELETE and returns how many rows it changed. */
export async function write(sql: Sql, query: string, params: readonly unknown[] = []): Promise<number> {
  const result = await execute<UpdateQueryResponse>(sql, query, params);
  return (result.rows as UpdateQueryResponse).affectedRows;
}

/** `?, ?, ?` for an IN list or a VALUES row of `n` parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/**
 * Splits rows into groups whose bound parameters stay under Forge SQL's 1 MiB request (with room for the
 * statement text and JSON escaping), so one multi-row statement never exceeds it.
 */
export function chunkByBytes<T>(
  rows: readonly T[],
  sizeOf: (row: T) => number,
  maxBytes = 700_000,
  maxRows = 500,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = sizeOf(row);
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= maxRows)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** True when an error from Forge SQL is a duplicate-key error (MySQL errno 1062). */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { message?: string; context?: { debug?: { errno?: number; code?: string } } };
  return (
    e?.context?.debug?.errno === 1062 ||
    e?.context?.debug?.code === 'ER_DUP_ENTRY' ||
    /Duplicate entry/i.test(e?.message ?? '')
  );
}

/** UTF-8 length of a string (bound parameters travel as JSON text). */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
