import {
  type Action,
  type Cycle,
  type Department,
  type DeptGoal,
  type EntityState,
  type Evidence,
  type Organisation,
  type OrgGoal,
  type Person,
  parseTeamBody,
  type TeamBody,
  type TeamKind,
} from '@cxplan/core';
import { readAllStates, readStates, readStatesBy } from './entity-rows';
import { type Sql, select } from './sql';
import type { EntityKind } from './tables';

/**
 * What the Jira side reads from the team store: the organisation configuration, a cycle's plan (tombstones
 * included), single entities and clips. Every body is parsed with the core's schema as it leaves SQL: a row that no
 * longer parses (written by an older version, or damaged) is left out and logged rather than handed on half-typed.
 */

/** An entity as stored: its body, version (the base of the next change) and whether it is a tombstone. */
export interface Stored<T> {
  id: string;
  version: number;
  deleted: boolean;
  body: T;
  changedBy: string;
  changedAt: string;
}

/** Parses a stored state's body with its kind's schema; undefined (and a log line) when it does not parse. */
export function parseStored<K extends TeamKind>(
  kind: K,
  state: EntityState,
): Stored<TeamBody<K>> | undefined {
  const parsed = parseTeamBody(kind, state.body);
  if (!parsed.success) {
    console.warn(
      `cxplan: stored ${kind} ${String(state.body.id)} does not parse: ${parsed.issues[0].message}`,
    );
    return undefined;
  }
  return {
    id: String(state.body.id ?? kind),
    version: state.version,
    deleted: state.deleted,
    body: parsed.output as TeamBody<K>,
    changedBy: state.changedBy,
    changedAt: state.changedAt,
  };
}

function parsedAll<K extends EntityKind>(kind: K, states: Map<string, EntityState>): Stored<TeamBody<K>>[] {
  return [...states.values()].flatMap((s) => parseStored(kind, s) ?? []);
}

/** The organisation configuration as the team store holds it (live entities). */
export interface StoredOrganisation {
  organisation: Stored<Organisation> | undefined;
  departments: Stored<Department>[];
  people: Stored<Person>[];
  cycles: Stored<Cycle>[];
}

/** Reads the organisation, its departments, people and cycles (four small statements). */
export async function readOrganisation(sql: Sql): Promise<StoredOrganisation> {
  const [organisation, departments, people, cycles] = await Promise.all([
    readStates(sql, 'organisation', ['organisation']),
    readAllStates(sql, 'departments'),
    readAllStates(sql, 'people'),
    readAllStates(sql, 'cycles'),
  ]);
  const org = organisation.get('organisation');
  return {
    organisation: org && !org.deleted ? parseStored('organisation', org) : undefined,
    departments: parsedAll('departments', departments),
    people: parsedAll('people', people),
    cycles: parsedAll('cycles', cycles),
  };
}

/** One cycle's plan as stored, tombstones included. */
export interface StoredPlan {
  cycleId: string;
  orgGoals: Stored<OrgGoal>[];
  deptGoals: Stored<DeptGoal>[];
  actions: Stored<Action>[];
}

/** Reads a cycle's organisation goals, department goals and actions, deleted ones too (three index ranges). */
export async function readCyclePlan(sql: Sql, cycleId: string): Promise<StoredPlan> {
  const [orgGoals, deptGoals, actions] = await Promise.all([
    readStatesBy(sql, 'orgGoals', 'cycle_id', cycleId, { includeDeleted: true }),
    readStatesBy(sql, 'deptGoals', 'cycle_id', cycleId, { includeDeleted: true }),
    readStatesBy(sql, 'actions', 'cycle_id', cycleId, { includeDeleted: true }),
  ]);
  return {
    cycleId,
    orgGoals: parsedAll('orgGoals', orgGoals),
    deptGoals: parsedAll('deptGoals', deptGoals),
    actions: parsedAll('actions', actions),
  };
}

/** The bodies of the live entities of a list. */
export function live<T>(entities: readonly Stored<T>[]): T[] {
  return entities.filter((e) => !e.deleted).map((e) => e.body);
}

/**
 * True when an entity's issue link (written by the app's sync alone) points at this issue: by id when the link has
 * one (keys change when an issue moves project), else by key. An issue property only *claims* which goal or action
 * an issue is — anyone who may edit the issue may rewrite it — so the claim counts only when the link agrees.
 */
export function linksTo(
  link: { issueKey: string; issueId?: string | undefined } | undefined,
  issue: { issueKey: string; issueId: string },
): boolean {
  if (!link) return false;
  return link.issueId !== undefined ? link.issueId === issue.issueId : link.issueKey === issue.issueKey;
}

/** Reads one entity (tombstone included) by kind and id. */
export async function readEntity<K extends TeamKind>(
  sql: Sql,
  kind: K,
  id: string,
): Promise<Stored<TeamBody<K>> | undefined> {
  const state = (await readStates(sql, kind, [id])).get(id);
  return state ? parseStored(kind, state) : undefined;
}

/** Reads live clips by id (the evidence a goal or action cites); unknown and deleted ids are left out. */
export async function readEvidence(sql: Sql, ids: readonly string[]): Promise<Evidence[]> {
  if (ids.length === 0) return [];
  const states = await readStates(sql, 'evidence', ids);
  return [...states.values()]
    .filter((s) => !s.deleted)
    .flatMap((s) => parseStored('evidence', s)?.body ?? []);
}

/** The cycles that hold department goals (live or deleted), for the sync to visit. */
export async function cyclesWithGoals(sql: Sql): Promise<string[]> {
  const rows = await select<{ cycle_id: string | null }>(
    sql,
    'SELECT DISTINCT cycle_id FROM cx_dept_goals WHERE cycle_id IS NOT NULL',
  );
  return rows.flatMap((r) => (r.cycle_id ? [r.cycle_id] : []));
}
