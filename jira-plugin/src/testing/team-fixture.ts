import { randomUUID } from 'node:crypto';
import { diffBodies, type TeamKind, type TeamOp } from '@cxplan/core';
import { sql } from '@forge/sql';
import { applyOps, type PushOptions } from '../team-store/push';
import { ensureSchema } from '../team-store/setup';
import type { Sql } from '../team-store/sql';
import { setupDeps, type TeamStoreDeps } from '../team-store/team-store';
import { type ForgeSqlInstallation, installForgeSql } from './forge-sql-mariadb';
import { MemoryKvs } from './memory-kvs';

/** A team store on a fresh MariaDB database, migrated, with an in-memory KVS: what one Forge installation has. */
export interface TeamFixture {
  db: ForgeSqlInstallation;
  sql: Sql;
  kv: MemoryKvs;
  /** What the app's code takes: this store, its KVS, the wall clock and random ids. */
  deps: TeamStoreDeps;
  /** Pushes operations as a person; trusted ops skip the rights rule (the admin set-up, Jira's own changes). */
  push(personId: string, ops: readonly TeamOp[], options?: PushOptions): ReturnType<typeof applyOps>;
  close(): Promise<void>;
}

/**
 * Creates a migrated team store for one test. `kv` shares a KVS with production code under test (the mocked
 * `@forge/kvs`'s `sharedKvs`); it is emptied first, as a fresh installation's.
 */
export async function teamFixture(options: { kv?: MemoryKvs } = {}): Promise<TeamFixture> {
  const db = await installForgeSql();
  const kv = options.kv ?? new MemoryKvs();
  kv.clear();
  const deps: TeamStoreDeps = { sql, kv, now: Date.now, newId: randomUUID };
  // As every production entry point does: migrations, then the (here empty) move of older KVS data.
  await ensureSchema(setupDeps(deps));
  return {
    db,
    sql,
    kv,
    deps,
    push: (personId, ops, options) => applyOps(deps, personId, ops, options),
    close: () => db.uninstall(),
  };
}

let counter = 0;
/** An operation creating an entity with the given body. */
export function createOp(kind: TeamKind, body: Record<string, unknown>): TeamOp {
  return {
    opId: `op-${++counter}`,
    kind,
    id: String(body.id ?? kind),
    baseVersion: 0,
    type: 'put',
    fields: diffBodies(kind, undefined, body),
  };
}
/** An operation setting fields of an entity seen at `baseVersion`. */
export function putOp(
  kind: TeamKind,
  id: string,
  baseVersion: number,
  fields: Record<string, unknown>,
): TeamOp {
  return { opId: `op-${++counter}`, kind, id, baseVersion, type: 'put', fields };
}

/** A small organisation: an admin-leader (lee), a department head (dan) of Support under Executive, staff (sam). */
export const TEAM_PEOPLE = [
  { id: 'lee', name: 'Lee Leader', role: 'executive', admin: true, departmentId: 'exec' },
  { id: 'dan', name: 'Dan Head', role: 'manager', departmentId: 'support' },
  { id: 'sam', name: 'Sam Staff', role: 'staff', departmentId: 'support' },
] as const;
export const TEAM_DEPARTMENTS = [
  { id: 'exec', name: 'Executive', managerId: 'lee' },
  { id: 'support', name: 'Support', managerId: 'dan', parentId: 'exec', upLineManagerId: 'lee' },
] as const;

/** Seeds the organisation (as the admin page would: trusted). */
export async function seedOrganisation(team: TeamFixture): Promise<void> {
  await team.push(
    'lee',
    [
      ...TEAM_DEPARTMENTS.map((d) => createOp('departments', { ...d })),
      ...TEAM_PEOPLE.map((p) => createOp('people', { ...p })),
    ],
    { trusted: true },
  );
}

/** A clip body. */
export function clip(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `clip-${i}`,
    text: `Customer said thing number ${i}`,
    sourceKind: 'customer',
    drivers: [],
    origin: { capturedBy: 'whoever', capturedAt: '2026-11-30T10:00:00.000Z', via: 'clip' },
    ...overrides,
  };
}

/**
 * Puts a plan into the store as the app's own writes (as a migration or a replica's pushes would have left it):
 * the organisation, its departments, and the goals and actions, verification and issue links as given.
 */
export async function seedPlan(
  team: TeamFixture,
  ws: {
    organisation: Record<string, unknown>;
    departments: readonly Record<string, unknown>[];
    orgGoals: readonly Record<string, unknown>[];
    deptGoals: readonly Record<string, unknown>[];
    actions: readonly Record<string, unknown>[];
  },
): Promise<void> {
  const results = await team.push(
    'jira',
    [
      createOp('organisation', { id: 'organisation', ...ws.organisation }),
      ...ws.departments.map((d) => createOp('departments', { ...d })),
      ...ws.orgGoals.map((g) => createOp('orgGoals', { ...g })),
      ...ws.deptGoals.map((g) => createOp('deptGoals', { ...g })),
      ...ws.actions.map((a) => createOp('actions', { ...a })),
    ],
    { system: true, deadlineMs: Date.now() + 60_000 },
  );
  const refused = results.filter((r) => r.status !== 'applied');
  if (refused.length > 0) throw new Error(`seedPlan: ${JSON.stringify(refused.slice(0, 3))}`);
}
