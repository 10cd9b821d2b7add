import { MigrationRunner } from '@forge/sql/out/migration';
import type { Sql } from './sql';
import { ENTITY_TABLES, EVIDENCE_TABLE } from './tables';

/**
 * The team store's schema, as versioned migrations run by @forge/sql's migrationRunner (it records each name in
 * `__migrations` and runs a name once). Every statement is written to be run again safely (IF NOT EXISTS), because
 * Forge SQL has no transactional DDL: a run that dies between a statement and its record repeats the statement.
 * Only SQL that both TiDB (Forge SQL) and MariaDB (the tests' real server) accept is used: no foreign keys (Forge
 * SQL has none), no JSON column type (MariaDB's is an alias of LONGTEXT, TiDB's a binary type; bodies are read
 * whole anyway), DATETIME(6) for change positions.
 */

const entityTable = (table: string): string => `CREATE TABLE IF NOT EXISTS ${table} (
  id VARCHAR(200) NOT NULL,
  version INT NOT NULL,
  deleted TINYINT NOT NULL DEFAULT 0,
  changed_at DATETIME(6) NOT NULL,
  changed_by VARCHAR(128) NOT NULL,
  cycle_id VARCHAR(200) NULL,
  parent_id VARCHAR(200) NULL,
  body MEDIUMTEXT NOT NULL,
  meta TEXT NULL,
  PRIMARY KEY (id),
  KEY by_change (changed_at, id),
  KEY by_cycle (cycle_id),
  KEY by_parent (parent_id)
)`;

/** The migrations, in order. Never edit or reorder a step that has shipped: add a new one. */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, ddl: string]> = [
  ...Object.values(ENTITY_TABLES).map((table) => [`v001-create-${table}`, entityTable(table)] as const),
  [
    `v001-create-${EVIDENCE_TABLE}`,
    `CREATE TABLE IF NOT EXISTS ${EVIDENCE_TABLE} (
  id VARCHAR(200) NOT NULL,
  version INT NOT NULL,
  deleted TINYINT NOT NULL DEFAULT 0,
  changed_at DATETIME(6) NOT NULL,
  changed_by VARCHAR(128) NOT NULL,
  captured_by VARCHAR(128) NOT NULL,
  event_id VARCHAR(200) NOT NULL DEFAULT '',
  heat_cat TINYINT NOT NULL,
  body MEDIUMTEXT NOT NULL,
  meta TEXT NULL,
  PRIMARY KEY (id),
  KEY by_change (changed_at, id),
  KEY by_event (event_id, deleted, heat_cat)
)`,
  ],
  [
    'v001-create-cx_heat_count',
    // One row per customer event: the clips of each heat-map category, as "category:count" pairs; `snap_at` is
    // when the recount that wrote it started (an older recount landing late never overwrites a newer one).
    `CREATE TABLE IF NOT EXISTS cx_heat_count (
  event_id VARCHAR(200) NOT NULL,
  counts VARCHAR(1000) NOT NULL,
  snap_at DATETIME(6) NOT NULL,
  PRIMARY KEY (event_id)
)`,
  ],
  [
    'v001-create-cx_heat_mark',
    // An event whose counts a push is about to change: written before the clips, deleted after the recount, so
    // a push that dies half-way leaves a mark and the next push or read recounts that event.
    `CREATE TABLE IF NOT EXISTS cx_heat_mark (
  event_id VARCHAR(200) NOT NULL,
  push_id VARCHAR(64) NOT NULL,
  marked_at DATETIME(6) NOT NULL,
  PRIMARY KEY (event_id, push_id),
  KEY by_time (marked_at)
)`,
  ],
  [
    'v001-create-cx_device',
    `CREATE TABLE IF NOT EXISTS cx_device (
  device_id VARCHAR(64) NOT NULL,
  person_id VARCHAR(128) NOT NULL,
  name VARCHAR(500) NOT NULL,
  public_key VARCHAR(400) NOT NULL,
  paired_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NULL,
  revoked_at DATETIME(6) NULL,
  revoked_by VARCHAR(128) NULL,
  PRIMARY KEY (device_id),
  KEY by_person (person_id)
)`,
  ],
  [
    'v001-create-cx_pairing_code',
    // Codes are stored hashed: a leaked table does not let anyone pair.
    `CREATE TABLE IF NOT EXISTS cx_pairing_code (
  code_hash CHAR(64) NOT NULL,
  person_id VARCHAR(128) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  device_id VARCHAR(64) NULL,
  PRIMARY KEY (code_hash),
  KEY by_person (person_id)
)`,
  ],
];

/** The name of the last migration: the schema is current when it has run. */
export const CURRENT_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]?.[0] ?? '';

/**
 * Runs every migration not yet run, in order, and returns the names it ran. Safe to call again and from two
 * invocations at once: each statement is idempotent, and a name recorded twice changes nothing.
 */
export async function runMigrations(sql: Sql): Promise<string[]> {
  // MigrationRunner is typed against @forge/sql's own client class; `Sql` is the part of it the runner calls.
  const runner = new MigrationRunner(sql as ConstructorParameters<typeof MigrationRunner>[0]);
  for (const [name, ddl] of MIGRATIONS) runner.enqueue(name, ddl);
  return runner.run();
}

/** True when every migration has run (one small query; callers cache the answer in KVS). */
export async function schemaIsCurrent(sql: Sql): Promise<boolean> {
  try {
    const result = await sql.executeDDL<{ name: string }>('SELECT name FROM __migrations');
    const done = new Set((result.rows as { name: string }[]).map((r) => r.name));
    return MIGRATIONS.every(([name]) => done.has(name));
  } catch {
    return false; // no __migrations table yet
  }
}
