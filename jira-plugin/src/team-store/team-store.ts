import { randomUUID } from 'node:crypto';
import type { OpResult, TeamKind, TeamOp } from '@cxplan/core';
import kvs from '@forge/kvs';
import { sql } from '@forge/sql';
import { kvsImportStep } from './kvs-import';
import { applyOps, type PushOptions } from './push';
import { ensureSchema, type SetupDeps } from './setup';
import type { TeamStoreDeps } from './store-deps';

export type { TeamStoreDeps } from './store-deps';

/** Production wiring: Forge SQL and KVS. */
export function teamStoreDeps(): TeamStoreDeps {
  return { sql, kv: kvs, now: Date.now, newId: randomUUID };
}

/** Thrown while another invocation sets the store up (schema steps, the one-time move of KVS data). */
export class TeamStoreSettingUp extends Error {
  constructor() {
    super('The team workspace is being set up (its database is being prepared); try again in a minute.');
  }
}

/**
 * What setting up the store needs, with the data step every entry point runs: moving an older installation's KVS
 * data in (kvs-import.ts), so whichever request comes first after an upgrade does it, once.
 */
export function setupDeps(deps: TeamStoreDeps): SetupDeps {
  return { sql: deps.sql, kv: deps.kv, afterMigrations: kvsImportStep(deps) };
}

/** Makes sure the store is ready before an entry point uses it; throws {@link TeamStoreSettingUp} if not yet. */
export async function openTeamStore(deps: TeamStoreDeps): Promise<void> {
  if (!(await ensureSchema(setupDeps(deps)))) throw new TeamStoreSettingUp();
}

/** An operation id for a change the app makes (unique: a retry of the same change must reuse the op). */
export function appOpId(deps: Pick<TeamStoreDeps, 'newId'>, what: string): string {
  return `${what}-${deps.newId()}`.slice(0, 80);
}

/** A `put` of some fields of an entity seen at `baseVersion` (0 creates it). */
export function putOp(
  opId: string,
  kind: TeamKind,
  id: string,
  baseVersion: number,
  fields: Record<string, unknown>,
): TeamOp {
  return { opId, kind, id, baseVersion, type: 'put', fields };
}

/** Applies operations and returns the results that were not applied (refused or superseded), for the caller to report. */
export async function applyAndReport(
  deps: TeamStoreDeps,
  personId: string,
  ops: readonly TeamOp[],
  options: PushOptions,
): Promise<{
  results: OpResult[];
  problems: Array<Extract<OpResult, { status: 'refused' | 'superseded' }>>;
}> {
  const results = await applyOps(deps, personId, ops, options);
  const problems = results.filter(
    (r): r is Extract<OpResult, { status: 'refused' | 'superseded' }> =>
      r.status === 'refused' || r.status === 'superseded',
  );
  const missing = ops.length - results.length;
  if (missing > 0)
    throw new Error(`${missing} change(s) could not be written in time; nothing was lost, try again.`);
  return { results, problems };
}
