import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type Connection,
  createConnection,
  createPool,
  type FieldPacket,
  type Pool,
  type PoolConnection,
} from 'mysql2/promise';
import { MARIADB_SOCKET_ENV, TIDB_SQL_MODE } from './mariadb-server';

// Forge SQL for tests: the app keeps the real `@forge/sql` (its SqlClient and migrationRunner), which sends every
// statement through @forge/api to `global.__forge_fetch__` as `{type: 'sql'}` POSTs to /api/v1/execute or
// /api/v1/execute/ddl with `{query, params, method}`. installForgeSql answers those from a database of its own
// on the run's MariaDB (mariadb-server.ts), shaped like Forge's answers and within Forge's documented limits, so
// a test sees the errors production would give instead of a fake that accepts anything.
//
// What Forge returns was taken from @forge/sql 4.0.8 (the Result type, ForgeSQLAPIError), Forge's docs
// (limits-sql, sql-handling-errors) and a production log of a Forge SQL error (a 400 whose body carries the
// server error as mysql2 reports it in context.debug). Where Forge documents a limit but not the error it
// answers with, the status and code below are this double's choice: REFUSALS names them.

/** Forge SQL's documented limits that this double enforces (developer.atlassian.com/platform/forge/limits-sql). */
export interface ForgeSqlLimits {
  /** Largest request body (the query and its bound parameters as JSON), in bytes: 1 MiB. */
  requestBytes: number;
  /** Largest response body, in bytes: 4 MiB. */
  responseBytes: number;
  /** Per-statement timeout of SELECT (and WITH, SHOW, EXPLAIN, DESCRIBE): 5 s. */
  selectTimeoutMs: number;
  /** Per-statement timeout of INSERT, UPDATE, DELETE, REPLACE: 10 s. */
  dmlTimeoutMs: number;
  /** Per-statement timeout of DDL and anything else: 20 s. */
  ddlTimeoutMs: number;
  /** Query time one installation may spend within `queryTimeWindowMs`: 62.5 s. */
  queryTimeBudgetMs: number;
  /** The sliding window of the query-time budget: one minute. */
  queryTimeWindowMs: number;
  /** Requests to the DML endpoint (/api/v1/execute, SELECTs included) per second: 150. */
  dmlRequestsPerSecond: number;
  /** Requests to the DDL endpoint (/api/v1/execute/ddl) per minute: 25. */
  ddlRequestsPerMinute: number;
}

/** Forge's values of every limit; `installForgeSql({ limits })` overrides some of them to keep a test fast. */
export const FORGE_SQL_LIMITS: Readonly<ForgeSqlLimits> = {
  requestBytes: 1024 * 1024,
  responseBytes: 4 * 1024 * 1024,
  selectTimeoutMs: 5_000,
  dmlTimeoutMs: 10_000,
  ddlTimeoutMs: 20_000,
  queryTimeBudgetMs: 62_500,
  queryTimeWindowMs: 60_000,
  dmlRequestsPerSecond: 150,
  ddlRequestsPerMinute: 25,
};

/**
 * The error codes of refusals Forge documents as limits without saying what it answers: status 413 / 400 / 429
 * and these codes are this double's. App code should key on `responseDetails.status` (413, 429) rather than on
 * these codes; the documented codes (SQL_EXECUTION_ERROR, INVALID_SQL_QUERY, QUERY_TIMED_OUT) are Forge's own.
 */
export const REFUSALS = {
  requestTooLarge: 'REQUEST_TOO_LARGE',
  responseTooLarge: 'RESPONSE_TOO_LARGE',
  rateLimited: 'TOO_MANY_REQUESTS',
} as const;

/** What a statement is, by its first keyword; it picks the statement's timeout. */
export type StatementKind = 'select' | 'dml' | 'ddl' | 'other';

/** Forge SQL's two endpoints: DML (SELECT included) and DDL (migrationRunner's). */
export type SqlEndpoint = 'execute' | 'ddl';

/** One request as the double saw it, so tests and benchmarks can report SQL time and sizes. */
export interface SqlStatementStat {
  readonly endpoint: SqlEndpoint;
  readonly query: string;
  readonly kind: StatementKind;
  /** Time the server spent on the statement (0 when refused before it ran). */
  readonly durationMs: number;
  /** Rows returned by a SELECT, rows affected by anything else. */
  readonly rows: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly status: number;
  /** The error code when the request failed. */
  readonly errorCode?: string;
}

/** Per-statement statistics of one installation. */
export interface ForgeSqlStats {
  /** Every request in order, refused ones included. */
  readonly statements: readonly SqlStatementStat[];
  /** Sum of `durationMs` over the recorded statements. */
  totalDurationMs(): number;
  /** Forgets the recorded statements (not the rate or budget windows). */
  reset(): void;
}

/** Options of installForgeSql. */
export interface ForgeSqlOptions {
  /** The MariaDB socket; defaults to CXPLAN_MARIADB_SOCKET, set by the projects' globalSetup. */
  socketPath?: string;
  /** Limits to lower (or raise) for a test; the rest keep Forge's values. */
  limits?: Partial<ForgeSqlLimits>;
}

/** One Forge installation's SQL database, answering `@forge/sql` until uninstalled. */
export interface ForgeSqlInstallation {
  /** The installation's own database on the shared server. */
  readonly database: string;
  readonly stats: ForgeSqlStats;
  /**
   * The limits in force, changeable while installed: a benchmark lifts them to seed a million rows, then puts
   * Forge's values back before it measures.
   */
  readonly limits: ForgeSqlLimits;
  /**
   * A direct connection with the DDL user's rights, outside every Forge limit and not recorded in `stats`: for
   * arranging and inspecting state in a test, never for the code under test.
   */
  readonly connection: Connection;
  /** Restores the previous `__forge_fetch__`, closes the connections and drops the database. */
  uninstall(): Promise<void>;
}

type ForgeFetch = (
  descriptor: { type: string; provider?: string; remote?: string },
  path: string,
  init?: { method?: string; body?: unknown },
) => Promise<Response>;
const host = globalThis as { __forge_fetch__?: ForgeFetch };

const ENDPOINTS: Record<string, SqlEndpoint> = { '/api/v1/execute': 'execute', '/api/v1/execute/ddl': 'ddl' };
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  504: 'Gateway Timeout',
};
/** MariaDB's ER_STATEMENT_TIMEOUT, raised when max_statement_time interrupts a statement. */
const ER_STATEMENT_TIMEOUT = 1969;

/**
 * Creates a fresh database for one Forge installation on the run's MariaDB and answers `@forge/sql`'s requests
 * from it: `sql.prepare(q).bindParams(…).execute()` through the DML user (SELECT, INSERT, UPDATE, DELETE only, as
 * in Forge, so DDL sent there fails with the server's access-denied error), `sql.executeDDL` and migrationRunner
 * through the DDL user. Other `__forge_fetch__` requests go to the handler installed before, if any.
 */
export async function installForgeSql(options: ForgeSqlOptions = {}): Promise<ForgeSqlInstallation> {
  const socketPath = options.socketPath ?? process.env[MARIADB_SOCKET_ENV];
  if (!socketPath)
    throw new Error(
      `no MariaDB: ${MARIADB_SOCKET_ENV} is unset. Run the tests with Vitest (the jira-plugin and test projects' ` +
        'globalSetup starts one), or point it at the socket of a running server',
    );
  const limits: ForgeSqlLimits = { ...FORGE_SQL_LIMITS, ...options.limits };
  const database = `cx_${randomBytes(6).toString('hex')}`;
  const users = { ddl: `${database}_ddl`, dml: `${database}_dml` };

  const admin = await createConnection({ socketPath, user: 'root' });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.query(`CREATE USER '${users.ddl}'@'localhost'`);
  await admin.query(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO '${users.ddl}'@'localhost'`);
  await admin.query(`CREATE USER '${users.dml}'@'localhost'`);
  await admin.query(
    `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.* TO '${users.dml}'@'localhost'`,
  );

  const connectionOptions = (user: string) =>
    ({
      socketPath,
      user,
      database,
      // Forge answers in JSON: DATETIME/TIMESTAMP as 'YYYY-MM-DD HH:MM:SS[.fraction]' strings, BIGINT as a JSON
      // number (precise up to 2^53), DECIMAL as a string, like mysql2's defaults, which Forge's service uses.
      dateStrings: true,
      supportBigNumbers: false,
      bigNumberStrings: false,
      timezone: 'Z',
      charset: 'UTF8MB4_BIN',
      // Forge runs one statement per request; with this off the server refuses a second one.
      multipleStatements: false,
      // Prepared statements stay open per connection; bound them so a long benchmark cannot exhaust the server.
      maxPreparedStatements: 256,
    }) as const;
  const pools: Record<SqlEndpoint, Pool> = {
    execute: createPool({ ...connectionOptions(users.dml), connectionLimit: 4 }),
    ddl: createPool({ ...connectionOptions(users.ddl), connectionLimit: 2 }),
  };
  const connection = await createConnection(connectionOptions(users.ddl));
  await connection.query(SESSION_SQL);
  const preparedSessions = new Set<number>();

  const statements: SqlStatementStat[] = [];
  const stats: ForgeSqlStats = {
    statements,
    totalDurationMs: () => statements.reduce((sum, s) => sum + s.durationMs, 0),
    reset: () => {
      statements.length = 0;
    },
  };
  const requestTimes: Record<SqlEndpoint, number[]> = { execute: [], ddl: [] };
  const spent: { endedAt: number; durationMs: number }[] = [];

  /** Checks the per-installation rate and query-time limits; records the request when it may run. */
  const checkRates = (endpoint: SqlEndpoint, now: number): Answer | undefined => {
    const [max, windowMs, unit] =
      endpoint === 'execute'
        ? [limits.dmlRequestsPerSecond, 1_000, 'second']
        : [limits.ddlRequestsPerMinute, 60_000, 'minute'];
    const times = requestTimes[endpoint];
    while (times.length > 0 && (times[0] ?? 0) <= now - windowMs) times.shift();
    if (times.length >= max)
      return rateLimited(
        `more than ${max} requests per ${unit} to Forge SQL's ${endpoint === 'execute' ? 'DML' : 'DDL'} endpoint`,
        { limit: endpoint === 'execute' ? 'dmlRequestsPerSecond' : 'ddlRequestsPerMinute', max },
      );
    while (spent.length > 0 && (spent[0]?.endedAt ?? 0) <= now - limits.queryTimeWindowMs) spent.shift();
    const usedMs = spent.reduce((sum, s) => sum + s.durationMs, 0);
    if (usedMs >= limits.queryTimeBudgetMs)
      return rateLimited(
        `query time budget spent: ${Math.round(usedMs)} ms of ${limits.queryTimeBudgetMs} ms within ` +
          `${limits.queryTimeWindowMs} ms (Forge SQL allows 62.5 s of query time per minute per installation)`,
        {
          limit: 'queryTimeBudget',
          usedMs,
          budgetMs: limits.queryTimeBudgetMs,
          windowMs: limits.queryTimeWindowMs,
        },
      );
    times.push(now);
    return undefined;
  };

  const run = async (endpoint: SqlEndpoint, query: string, params: unknown[], kind: StatementKind) => {
    const timeoutMs =
      kind === 'select' ? limits.selectTimeoutMs : kind === 'dml' ? limits.dmlTimeoutMs : limits.ddlTimeoutMs;
    // The server interrupts the statement itself, as TiDB would; Forge's HTTP timeout is the same number.
    const text = `SET STATEMENT max_statement_time=${timeoutMs / 1000} FOR ${query}`;
    const pooled = await pools[endpoint].getConnection();
    try {
      await prepareSession(pooled, preparedSessions);
      const started = performance.now();
      const outcome = await (params.length > 0
        ? pooled.execute(text, params as ExecuteValues)
        : pooled.query(text)
      ).then(
        ([result, fields]) => ({
          ok: true as const,
          result,
          fields,
          durationMs: performance.now() - started,
        }),
        (error: ServerError) => ({ ok: false as const, error, durationMs: performance.now() - started }),
      );
      // Failed and timed-out statements used server time too: they count against the budget.
      spent.push({ endedAt: performance.now(), durationMs: outcome.durationMs });
      return outcome;
    } finally {
      pooled.release();
    }
  };

  const answer = async (endpoint: SqlEndpoint, body: string): Promise<Response> => {
    const requestBytes = Buffer.byteLength(body);
    const { query, params } = parseBody(body);
    const analysis = analyse(query, endpoint);
    const record = (answered: Answer, durationMs = 0, rows = 0): Response => {
      const response = toResponse(answered);
      statements.push({
        endpoint,
        query,
        kind: analysis.kind,
        durationMs,
        rows,
        requestBytes,
        responseBytes: answered.bytes,
        status: answered.status,
        ...(answered.status !== 200 && { errorCode: (answered.body as { code: string }).code }),
      });
      return response;
    };
    if (requestBytes > limits.requestBytes)
      return record(
        reply(413, {
          code: REFUSALS.requestTooLarge,
          message: `The request is ${requestBytes} bytes; Forge SQL accepts at most ${limits.requestBytes} bytes per query (1 MiB in production)`,
          suggestion: 'Send fewer rows or smaller values per statement.',
        }),
      );
    const limited = checkRates(endpoint, performance.now());
    if (limited) return record(limited);
    if (analysis.refusal)
      return record(
        reply(400, {
          code: 'INVALID_SQL_QUERY',
          message: analysis.refusal,
          context: { queryType: queryType(analysis.keyword) },
        }),
      );
    const outcome = await run(endpoint, query, params, analysis.kind);
    if (!outcome.ok) return record(serverErrorReply(outcome.error, query, analysis), outcome.durationMs);
    const rows = Array.isArray(outcome.result) ? outcome.result : { ...outcome.result };
    const rowsJson = JSON.stringify(rows);
    const success = reply(200, {
      rows,
      metadata: {
        dbExecutionTime: outcome.durationMs,
        responseSize: Buffer.byteLength(rowsJson),
        fields: (outcome.fields ?? []).map(describeField),
      },
    });
    const count = Array.isArray(rows)
      ? rows.length
      : Number((rows as { affectedRows?: number }).affectedRows ?? 0);
    if (success.bytes > limits.responseBytes)
      return record(
        reply(400, {
          code: REFUSALS.responseTooLarge,
          message: `The response is ${success.bytes} bytes; Forge SQL answers at most ${limits.responseBytes} bytes (4 MiB in production)`,
          suggestion: 'Select fewer rows or columns per query (page with LIMIT and OFFSET literals).',
        }),
        outcome.durationMs,
        count,
      );
    return record(success, outcome.durationMs, count);
  };

  const previous = host.__forge_fetch__;
  const handler: ForgeFetch = async (descriptor, path, init) => {
    if (descriptor.type !== 'sql') {
      if (previous) return previous(descriptor, path, init);
      throw new Error(
        `__forge_fetch__: no handler for a '${descriptor.type}' request (installForgeSql answers 'sql')`,
      );
    }
    const endpoint = ENDPOINTS[path];
    if (!endpoint || init?.method !== 'POST' || typeof init.body !== 'string')
      throw new Error(`Forge SQL double: unexpected request ${init?.method} ${path}`);
    return answer(endpoint, init.body);
  };
  host.__forge_fetch__ = handler;

  return {
    database,
    stats,
    limits,
    connection,
    uninstall: async () => {
      // Only undo our own hook: an installation made after this one and still active keeps its handler.
      if (host.__forge_fetch__ === handler) host.__forge_fetch__ = previous;
      await Promise.all([pools.execute.end(), pools.ddl.end(), connection.end()]);
      await admin.query(`DROP USER '${users.ddl}'@'localhost', '${users.dml}'@'localhost'`);
      await admin.query(`DROP DATABASE \`${database}\``);
      await admin.end();
    },
  };
}

/** Session settings of every connection, so a reused server behaves like the one mariadb-server.ts starts. */
const SESSION_SQL = `SET time_zone = '+00:00', sql_mode = '${TIDB_SQL_MODE}'`;

async function prepareSession(connection: PoolConnection, prepared: Set<number>): Promise<void> {
  if (prepared.has(connection.threadId)) return;
  await connection.query(SESSION_SQL);
  prepared.add(connection.threadId);
}

type ExecuteValues = Parameters<PoolConnection['execute']>[1];

/** mysql2's error as Forge's service reports it in `context.debug`. */
interface ServerError {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message: string;
}

/** A reply before it becomes a fetch Response; `bytes` is the body's size. */
interface Answer {
  status: number;
  body: unknown;
  json: string;
  bytes: number;
}

function reply(status: number, body: unknown): Answer {
  const json = JSON.stringify(body);
  return { status, body, json, bytes: Buffer.byteLength(json) };
}

function rateLimited(message: string, context: Record<string, unknown>): Answer {
  return reply(429, {
    code: REFUSALS.rateLimited,
    message,
    suggestion: 'Wait and retry, or spend less query time per request.',
    context,
  });
}

function toResponse(answer: Answer): Response {
  return new Response(answer.json, {
    status: answer.status,
    statusText: STATUS_TEXT[answer.status] ?? '',
    headers: { 'Content-Type': 'application/json' },
  });
}

/** Forge's answer to a statement the server refused: a timeout, or a 400 carrying mysql2's error in `debug`. */
function serverErrorReply(error: ServerError, query: string, analysis: Analysis): Answer {
  const debug = {
    code: error.code,
    errno: error.errno,
    sqlState: error.sqlState,
    sqlMessage: error.sqlMessage,
    sql: query,
    message: error.sqlMessage ?? error.message,
  };
  const context = { debug, queryType: queryType(analysis.keyword) };
  if (error.errno === ER_STATEMENT_TIMEOUT)
    return reply(504, {
      code: 'QUERY_TIMED_OUT',
      message: `The ${analysis.kind} statement ran longer than Forge SQL's per-connection timeout and was interrupted`,
      suggestion: 'Make the query cheaper (an index, fewer rows) or split the work over several requests.',
      context,
    });
  // Forge's message is generic (as in the production log this copies); the server's message is in context.debug.
  return reply(400, {
    code: 'SQL_EXECUTION_ERROR',
    message: 'Unknown SQL execution error',
    suggestion:
      'There was an error while executing the given command. Find more information about the SQL execution error in "debug" field',
    context,
  });
}

function parseBody(body: string): { query: string; params: unknown[] } {
  const parsed = JSON.parse(body) as { query?: unknown; params?: unknown };
  if (typeof parsed.query !== 'string' || !Array.isArray(parsed.params ?? []))
    throw new Error(`Forge SQL double: a request needs a string query and an array of params, got ${body}`);
  return { query: parsed.query, params: (parsed.params ?? []) as unknown[] };
}

/** The plain column description Forge returns in `metadata.fields` (mysql2's FieldPacket without its buffer). */
function describeField(field: FieldPacket): Record<string, unknown> {
  return Object.fromEntries(FIELD_KEYS.map((key) => [key, field[key]]));
}

const FIELD_KEYS = [
  'catalog',
  'schema',
  'name',
  'orgName',
  'table',
  'orgTable',
  'characterSet',
  'columnLength',
  'columnType',
  'flags',
  'decimals',
] as const satisfies readonly (keyof FieldPacket)[];

const queryType = (keyword: string): string =>
  ['select', 'insert', 'update', 'delete'].includes(keyword) ? keyword : 'other';

interface Analysis {
  kind: StatementKind;
  /** The statement's first keyword, lower case. */
  keyword: string;
  /** Why Forge refuses the statement before it runs (INVALID_SQL_QUERY). */
  refusal?: string;
}

const KINDS: Record<string, StatementKind> = {
  select: 'select',
  with: 'select',
  show: 'select',
  explain: 'select',
  describe: 'select',
  desc: 'select',
  table: 'select',
  values: 'select',
  insert: 'dml',
  update: 'dml',
  delete: 'dml',
  replace: 'dml',
  create: 'ddl',
  alter: 'ddl',
  drop: 'ddl',
  truncate: 'ddl',
  rename: 'ddl',
};
/**
 * Statements whose effect outlives the statement. Each Forge SQL request may run on another pooled connection,
 * so a transaction or session setting would not reach the next request; refusing them here keeps app code from
 * depending on state that production does not keep.
 */
const SESSION_KEYWORDS = new Set([
  'begin',
  'start',
  'commit',
  'rollback',
  'savepoint',
  'release',
  'set',
  'use',
  'lock',
  'unlock',
  'xa',
]);

/** Classifies a statement and finds what Forge SQL refuses before running it. */
function analyse(query: string, endpoint: SqlEndpoint): Analysis {
  const code = maskLiteralsAndComments(query);
  const keyword = /^[\s(]*([A-Za-z]+)/.exec(code)?.[1]?.toLowerCase() ?? '';
  const kind = KINDS[keyword] ?? 'other';
  if (SESSION_KEYWORDS.has(keyword))
    return {
      kind,
      keyword,
      refusal: `${keyword.toUpperCase()} is refused: each Forge SQL request runs on its own connection, so transactions and session state do not carry over`,
    };
  const boundLimit = /\b(LIMIT\s+(\d+\s*,\s*)?\?|OFFSET\s+\?)/i.exec(code);
  if (boundLimit)
    return {
      kind,
      keyword,
      refusal: `A bound parameter in LIMIT/OFFSET ("${boundLimit[0]}") is not supported by Forge SQL: write the number into the query text after checking it is an integer`,
    };
  if (kind === 'ddl' && endpoint === 'ddl' && /\b(FOREIGN\s+KEY|REFERENCES)\b/i.test(code))
    return {
      kind,
      keyword,
      refusal:
        'Foreign keys are not supported by Forge SQL (deletes do not cascade): keep the reference as a plain column',
    };
  return { kind, keyword };
}

/**
 * The query with string literals, quoted identifiers and comments blanked out (same length), so keyword checks
 * never match text inside them. MariaDB's executable comments (`/*! … *\/`) are code and stay.
 */
function maskLiteralsAndComments(sql: string): string {
  const out = sql.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\' && c !== '`') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      blank(i, Math.min(j + 1, sql.length));
      i = j + 1;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? '\n'))) {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      blank(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*' && !/^(!|M!)/.test(sql.slice(i + 2, i + 4))) {
      const end = sql.indexOf('*/', i + 2);
      const j = end < 0 ? sql.length : end + 2;
      blank(i, j);
      i = j;
    } else i++;
  }
  return out.join('');
}
