import { CURRENT_SCHEMA, runMigrations } from './schema';
import type { Sql } from './sql';
import type { TeamKvs } from './team-kvs';
import { isKeyConflict } from './team-kvs';

/** KVS key naming the last migration that completed (so a request checks readiness without SQL). */
export const SCHEMA_MARKER_KEY = 'cxplan-team:schema';
const LOCK_KEY = 'cxplan-team:migrating';

/** What setting up needs. */
export interface SetupDeps {
  sql: Sql;
  kv: Pick<TeamKvs, 'get' | 'set' | 'delete'>;
  /** Steps run once after the schema is current (moving an older installation's KVS data in). */
  afterMigrations?: () => Promise<void>;
}

/**
 * Makes sure the team store's schema is current: true when it is (or was just made so); false when another
 * invocation is migrating right now (the caller answers "setting up, try again shortly"). One invocation migrates
 * at a time (a KVS lock that expires on its own if the invocation dies); migrations are idempotent anyway.
 */
export async function ensureSchema(deps: SetupDeps): Promise<boolean> {
  if ((await deps.kv.get<string>(SCHEMA_MARKER_KEY)) === CURRENT_SCHEMA) return true;
  try {
    await deps.kv.set(LOCK_KEY, Date.now(), {
      keyPolicy: 'FAIL_IF_EXISTS',
      ttl: { value: 120, unit: 'SECONDS' },
    });
  } catch (error) {
    if (isKeyConflict(error)) return false;
    throw error;
  }
  try {
    await runMigrations(deps.sql);
    await deps.afterMigrations?.();
    await deps.kv.set(SCHEMA_MARKER_KEY, CURRENT_SCHEMA);
    return true;
  } finally {
    await deps.kv.delete(LOCK_KEY);
  }
}
