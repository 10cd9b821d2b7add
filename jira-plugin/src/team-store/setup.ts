import { DEFAULT_STAGES, diffBodies, emptyWorkspace, JIRA_APP_PERSON_ID, type TeamOp } from '@cxplan/core';
import { applyOps } from './push';
import { CURRENT_SCHEMA, runMigrations } from './schema';
import type { Sql } from './sql';
import type { TeamKvs } from './team-kvs';
import { isKeyConflict } from './team-kvs';

/**
 * Every new team workspace starts, like every browser's, with the framework's default lifecycle stages and the
 * default settings (same ids and values, so a browser connecting with its own untouched defaults finds them already
 * there instead of being told it may not change them). Written as the app's own (system) operations with fixed
 * ids: running this again changes nothing.
 */
async function seedDefaults(deps: SetupDeps): Promise<void> {
  const seed = (kind: TeamOp['kind'], id: string, body: Record<string, unknown>): TeamOp => ({
    opId: `seed-${id}`,
    kind,
    id,
    baseVersion: 0,
    type: 'put',
    fields: diffBodies(kind, undefined, body),
  });
  await applyOps(
    { sql: deps.sql, kv: deps.kv, now: Date.now, newId: () => 'seed-defaults' },
    JIRA_APP_PERSON_ID,
    [
      ...DEFAULT_STAGES.map((stage) => seed('stages', stage.id, { ...stage })),
      seed('settings', 'settings', { ...emptyWorkspace('').settings }),
    ],
    { system: true },
  );
}

/**
 * KVS key naming how far setting up got: the last migration that completed, then `+` and the data step that
 * completed after it (so a request checks readiness with one KVS read and no SQL).
 */
export const SCHEMA_MARKER_KEY = 'cxplan-team:schema';
const LOCK_KEY = 'cxplan-team:migrating';

/** A step run once after the schema is current (moving an older installation's KVS data in). */
export interface DataStep {
  /** Names the step in the readiness marker: a new id runs again on installations that ran an older one. */
  id: string;
  /** Runs (or continues) the step; false when it stopped before the end (out of time) and must continue later. */
  run(): Promise<boolean>;
}

/** What setting up needs. */
export interface SetupDeps {
  sql: Sql;
  kv: Pick<TeamKvs, 'get' | 'set' | 'delete'>;
  /** The data step every production entry point runs (see team-store.ts `setupDeps`). */
  afterMigrations?: DataStep;
}

/** The readiness marker a caller expects: the schema, and its data step when it has one. */
function wanted(deps: SetupDeps): string {
  return deps.afterMigrations ? `${CURRENT_SCHEMA}+${deps.afterMigrations.id}` : CURRENT_SCHEMA;
}

/**
 * Makes sure the team store's schema is current and its data step done: true when they are (or were just made
 * so); false when another invocation is setting up right now, or the data step ran out of time and continues on
 * the next call (the caller answers "setting up, try again shortly"). One invocation sets up at a time (a KVS lock
 * that expires on its own if the invocation dies); migrations and the data step are idempotent anyway. A caller
 * without a data step (a test's bare store) accepts a store whose schema is current.
 */
export async function ensureSchema(deps: SetupDeps): Promise<boolean> {
  const marker = await deps.kv.get<string>(SCHEMA_MARKER_KEY);
  if (marker === wanted(deps)) return true;
  if (!deps.afterMigrations && marker?.split('+')[0] === CURRENT_SCHEMA) return true;
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
    await seedDefaults(deps);
    if (deps.afterMigrations && !(await deps.afterMigrations.run())) return false;
    await deps.kv.set(SCHEMA_MARKER_KEY, wanted(deps));
    return true;
  } finally {
    await deps.kv.delete(LOCK_KEY);
  }
}
