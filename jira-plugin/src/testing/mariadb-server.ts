import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

// A throwaway MariaDB for the tests of the Jira app's SQL (Forge SQL runs TiDB in production; MariaDB is the
// MySQL-compatible server Debian ships, so CI installs it with apt-get instead of downloading a binary). One
// server per test run: Vitest's globalSetup starts it and hands its socket to the test workers in
// CXPLAN_MARIADB_SOCKET; each test then creates databases of its own on it (forge-sql-mariadb.ts).

/** The environment variable that names the socket of a running MariaDB the tests may use. */
export const MARIADB_SOCKET_ENV = 'CXPLAN_MARIADB_SOCKET';

/**
 * TiDB's default sql_mode (what Forge SQL runs with) minus NO_AUTO_CREATE_USER, which only concerns GRANT: strict
 * writes, ONLY_FULL_GROUP_BY, no zero dates. Set on the server and again on every session of forge-sql-mariadb.ts,
 * so a reused server (CXPLAN_MARIADB_SOCKET) behaves the same.
 */
export const TIDB_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

/** A running MariaDB reached over a Unix socket (no TCP port, so parallel runs never collide). */
export interface MariadbServer {
  /** Path of the server's Unix socket; connect as `root` without a password. */
  readonly socketPath: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts an unprivileged MariaDB in a fresh temporary directory and resolves once it answers on its socket.
 * Small settings for a test machine: 256 MB buffer pool, no binary log, log flushed once a second (a crash
 * loses nothing a test needs), utf8mb4_bin like TiDB's default collation, UTC.
 */
export async function startMariadb(): Promise<MariadbServer> {
  const missing = [MARIADBD, INSTALL_DB].filter((program) => !existsSync(program));
  if (missing.length > 0)
    throw new Error(
      `the Jira app's SQL tests need MariaDB (${missing.join(', ')} not found): run npm test, whose set-up installs ` +
        "Debian's mariadb-server, or apt-get install mariadb-server",
    );
  const dir = mkdtempSync(join(tmpdir(), 'cxplan-mariadb-'));
  const dataDir = join(dir, 'data');
  const socketPath = join(dir, 'mariadb.sock');
  const errorLog = join(dir, 'error.log');
  // mariadbd refuses to run as root unless told to; --no-defaults keeps /etc/mysql out of a throwaway server.
  const asRoot = isRoot() ? ['--user=root'] : [];
  try {
    // Its own temporary directory too: the bootstrap's temporary tables must not meet another server's in /tmp.
    await run(
      INSTALL_DB,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...asRoot,
      ],
      { env: { ...process.env, TMPDIR: dir } },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`mariadb-install-db failed: ${stderr.trim()}`);
  }
  const child = spawn(
    MARIADBD,
    [
      '--no-defaults',
      ...asRoot,
      `--datadir=${dataDir}`,
      `--socket=${socketPath}`,
      '--skip-networking',
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${errorLog}`,
      `--tmpdir=${dir}`,
      '--skip-log-bin',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=256M',
      '--innodb-flush-log-at-trx-commit=2',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_bin',
      '--default-time-zone=+00:00',
      `--sql-mode=${TIDB_SQL_MODE}`,
      '--max-connections=500',
      '--max-allowed-packet=64M',
    ],
    { stdio: 'ignore' },
  );
  // If the test process dies without its teardown, the server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(socketPath, child, errorLog);
  } catch (error) {
    await stop();
    throw error;
  }
  return { socketPath, stop };
}

/** Polls the socket until the server accepts a connection; fails early with its log if it exits instead. */
async function waitUntilAnswering(socketPath: string, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`mariadbd exited before it was ready:\n${tail(errorLog)}`);
    try {
      const connection = await createConnection({ socketPath, user: 'root' });
      await connection.end();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(
          `mariadbd did not answer on ${socketPath} within 30 s (${error}):\n${tail(errorLog)}`,
        );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tail = (file: string): string =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '(no error log)';

interface SharedServer {
  server: Promise<MariadbServer>;
  users: number;
}
const SHARED = Symbol.for('cxplan.mariadb-server');

/**
 * Vitest globalSetup body: one server for the whole run even when several projects (jira-plugin, test) ask for
 * it — globalSetups run in the same main process, so they share it through a process-wide registry and the last
 * teardown stops it. Reuses the server named by CXPLAN_MARIADB_SOCKET when that is set from outside.
 * Test workers inherit CXPLAN_MARIADB_SOCKET.
 */
export async function shareMariadbForRun(): Promise<() => Promise<void>> {
  const registry = globalThis as unknown as Record<symbol, SharedServer | undefined>;
  let shared = registry[SHARED];
  if (!shared) {
    if (process.env[MARIADB_SOCKET_ENV]) return async () => undefined;
    // Registered before the first await, so a second caller can never start a second server.
    shared = { server: startMariadb(), users: 0 };
    registry[SHARED] = shared;
  }
  const current = shared;
  current.users += 1;
  try {
    process.env[MARIADB_SOCKET_ENV] = (await current.server).socketPath;
  } catch (error) {
    registry[SHARED] = undefined;
    throw error;
  }
  return async () => {
    current.users -= 1;
    if (current.users > 0) return;
    registry[SHARED] = undefined;
    delete process.env[MARIADB_SOCKET_ENV];
    await (await current.server).stop();
  };
}
