import {
  type Actor,
  actorFor,
  type DecideContext,
  type Department,
  decideOp,
  type EntityState,
  type Evidence,
  type OpDecision,
  type OpResult,
  type Person,
  TEAM_KINDS,
  type TeamKind,
  type TeamOp,
} from '@cxplan/core';
import { insertStates, readAllStates, readStates, updateState } from './entity-rows';
import { announceWrites } from './feed-head';
import { markEvents, recountEvents, unmarkEvents } from './heat-counts';
import { byteLength, chunkByBytes, placeholders, type Sql, select } from './sql';
import type { TeamKvs } from './team-kvs';

/** What applying operations needs. */
export interface PushDeps {
  sql: Sql;
  kv: Pick<TeamKvs, 'set'>;
  now: () => number;
  /** A fresh id for this push's heat-map marks. */
  newId: () => string;
}

/** Options of one push. */
export interface PushOptions {
  /** Changes Jira reported (see DecideContext.trusted): merged by version, not checked against the team's rights. */
  trusted?: boolean;
  /** The Jira app's own writes (issue links, recorded verification): see DecideContext.system. */
  system?: boolean;
  /** Stop starting new writes after this time (ms); operations not reached get no result and are sent again. */
  deadlineMs?: number;
  /** Called between statements (tests stop a push half-way here). */
  afterStatement?: () => void;
}

/** How often a compare-and-set that lost to a concurrent writer is decided again before giving up for now. */
const MAX_ATTEMPTS = 4;

interface Entity {
  kind: TeamKind;
  id: string;
  ops: TeamOp[];
}

/**
 * Applies a batch of operations from one person to the team store and answers each with what happened.
 *
 * Forge SQL has no transactions, so the batch is a sequence of single-statement steps, each safe to retry and to
 * be interrupted after: every entity is decided in memory by the core's merge, then written with a
 * compare-and-set on its version (new entities by one multi-row insert, read back to see which rows are ours).
 * An entity remembers the ids of the operations applied to it, so a push retried after dying half-way finds the
 * applied ones as duplicates and applies only the rest; a writer that raced us is simply re-read and re-decided.
 */
export async function applyOps(
  deps: PushDeps,
  personId: string,
  ops: readonly TeamOp[],
  options: PushOptions = {},
): Promise<OpResult[]> {
  const startedAt = deps.now();
  const deadline = options.deadlineMs ?? startedAt + 20_000;
  const [departments, people] = await Promise.all([
    readAllStates(deps.sql, 'departments'),
    readAllStates(deps.sql, 'people'),
  ]);
  const departmentList = [...departments.values()].map((s) => s.body as unknown as Department);
  const peopleList = [...people.values()].map((s) => s.body as unknown as Person);
  const actor: Actor = actorFor(personId, peopleList);
  const names = new Map(peopleList.map((p) => [p.id, p.name]));
  const nameOf = (id: string): string => names.get(id) ?? actorFor(id, []).name;

  // Group by entity, keeping each entity's operations in the order they were made.
  const entities = new Map<string, Entity>();
  for (const op of ops) {
    const key = `${op.kind}\u0000${op.id}`;
    const entity = entities.get(key) ?? { kind: op.kind, id: op.id, ops: [] };
    entity.ops.push(op);
    entities.set(key, entity);
  }
  const byKind = new Map<TeamKind, Entity[]>();
  for (const e of entities.values()) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);

  const results = new Map<string, OpResult>();
  const goalDepartments = await readGoalDepartments(deps.sql, ops);
  let announced = false;
  const beforeWrite = async (): Promise<boolean> => {
    if (deps.now() > deadline) return false;
    if (!announced) {
      await announceWrites(deps.kv, deps.now(), deadline);
      announced = true;
    }
    return true;
  };
  const pushId = deps.newId();
  const touchedEvents = new Set<string>();

  for (const kind of TEAM_KINDS) {
    const group = byKind.get(kind);
    if (!group) continue;
    const ctx: DecideContext = {
      actor,
      view: { departments: departmentList, goalDepartment: (id) => goalDepartments.get(id) },
      now: new Date(deps.now()).toISOString(),
      departments: departmentList,
      nameOf,
      ...(options.trusted && { trusted: true }),
      ...(options.system && { system: true }),
    };
    let pending = group;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      const stored = await readStates(
        deps.sql,
        kind,
        pending.map((e) => e.id),
      );
      const creates: Array<{ entity: Entity; next: EntityState; decisions: Decided[] }> = [];
      const updates: Array<{ entity: Entity; before: EntityState; next: EntityState; decisions: Decided[] }> =
        [];
      for (const entity of pending) {
        const before = stored.get(entity.id);
        const { state, decisions } = decideAll(before, entity.ops, ctx);
        if (kind === 'evidence') {
          for (const s of [before, state]) if (s) touchedEvents.add(eventOf(s));
        }
        if (state === before) settle(results, decisions, before);
        else if (before === undefined) creates.push({ entity, next: state as EntityState, decisions });
        else updates.push({ entity, before, next: state as EntityState, decisions });
        if (kind === 'deptGoals' && state)
          goalDepartments.set(entity.id, String(state.body.departmentId ?? ''));
      }
      if (creates.length + updates.length === 0) {
        pending = [];
        break;
      }
      if (!(await beforeWrite())) return order(ops, results);
      if (kind === 'evidence' && touchedEvents.size > 0) {
        await markEvents(deps.sql, pushId, [...touchedEvents]);
        options.afterStatement?.();
      }
      const retry: Entity[] = [];
      for (const chunk of chunkByBytes(creates, (c) => byteLength(JSON.stringify(c.next.body)) + 200)) {
        if (!(await beforeWrite())) return order(ops, results);
        await insertStates(
          deps.sql,
          kind,
          chunk.map((c) => [c.entity.id, c.next] as const),
        );
        options.afterStatement?.();
        const landed = await readStates(
          deps.sql,
          kind,
          chunk.map((c) => c.entity.id),
        );
        for (const c of chunk) {
          const row = landed.get(c.entity.id);
          const lastOp = c.next.ops.at(-1);
          if (row && row.version === c.next.version && lastOp !== undefined && row.ops.includes(lastOp))
            settle(results, c.decisions, c.next);
          else retry.push(c.entity); // someone else created it first: decide again against theirs
        }
      }
      for (const u of updates) {
        if (!(await beforeWrite())) return order(ops, results);
        const ok = await updateState(deps.sql, kind, u.entity.id, u.before.version, u.next);
        options.afterStatement?.();
        if (ok) settle(results, u.decisions, u.next);
        else retry.push(u.entity);
      }
      pending = retry;
    }
    // Still losing races after every attempt: the author's replica sends these again.
    for (const e of pending) for (const op of e.ops) results.delete(op.opId);
  }

  if (touchedEvents.size > 0 && announced) {
    if (!(await beforeWrite())) return order(ops, results);
    await recountEvents(deps.sql, [...touchedEvents]);
    options.afterStatement?.();
    await unmarkEvents(deps.sql, pushId);
    options.afterStatement?.();
  } else if (touchedEvents.size > 0) {
    // Every clip op was a duplicate: a push that died after writing may not have recounted; recount now.
    await recountEvents(deps.sql, [...touchedEvents]);
  }
  return order(ops, results);
}

interface Decided {
  op: TeamOp;
  decision: OpDecision;
}

/** Decides an entity's operations one after the other on the in-memory state. */
function decideAll(
  before: EntityState | undefined,
  ops: readonly TeamOp[],
  ctx: DecideContext,
): { state: EntityState | undefined; decisions: Decided[] } {
  let state = before;
  const decisions: Decided[] = [];
  for (const op of ops) {
    const decision = decideOp(state, op, ctx);
    decisions.push({ op, decision });
    if (decision.status === 'applied') state = decision.next;
  }
  return { state, decisions };
}

function settle(
  results: Map<string, OpResult>,
  decisions: readonly Decided[],
  final: EntityState | undefined,
): void {
  // The entity as stored now goes back with anything not (wholly) applied, so its author sees the team's values.
  const current = final && {
    version: final.version,
    deleted: final.deleted,
    ...(!final.deleted && { body: final.body }),
  };
  for (const { op, decision } of decisions) {
    const result = toResult(op, decision);
    const partial = result.status === 'applied' && result.superseded !== undefined;
    results.set(
      op.opId,
      current && (partial || result.status === 'superseded' || result.status === 'refused')
        ? { ...result, current }
        : result,
    );
  }
}

function toResult(op: TeamOp, d: OpDecision): OpResult {
  switch (d.status) {
    case 'applied':
      return {
        opId: op.opId,
        status: 'applied',
        version: d.next.version,
        ...(d.superseded.length > 0 && {
          superseded: d.superseded,
          message: `Some of your change was not applied: ${d.superseded.map((s) => s.field).join(', ')} had been changed by someone else since you last saw it.`,
        }),
      };
    case 'duplicate':
      return { opId: op.opId, status: 'duplicate', version: d.version };
    case 'superseded':
      return {
        opId: op.opId,
        status: 'superseded',
        version: d.version,
        superseded: d.superseded,
        message: d.message,
      };
    case 'refused':
      return {
        opId: op.opId,
        status: 'refused',
        code: d.code,
        message: d.message,
        ...(d.errors && { errors: d.errors }),
      };
  }
}

function order(ops: readonly TeamOp[], results: Map<string, OpResult>): OpResult[] {
  return ops.flatMap((op) => {
    const r = results.get(op.opId);
    return r ? [r] : [];
  });
}

function eventOf(state: EntityState): string {
  return (state.body as unknown as Evidence).eventId ?? '';
}

/** The departments of the goals the actions in a batch name (an action's rights follow its goal's department). */
async function readGoalDepartments(sql: Sql, ops: readonly TeamOp[]): Promise<Map<string, string>> {
  const goalIds = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'actions' && op.type === 'put' && typeof op.fields.deptGoalId === 'string')
      goalIds.add(op.fields.deptGoalId);
    if (op.kind === 'actions') goalIds.add(''); // placeholder removed below; stored actions' goals are read next
  }
  goalIds.delete('');
  const actionIds = ops.filter((op) => op.kind === 'actions').map((op) => op.id);
  if (actionIds.length > 0) {
    const rows = await select<{ parent_id: string | null }>(
      sql,
      `SELECT parent_id FROM cx_actions WHERE id IN (${placeholders(actionIds.length)})`,
      actionIds,
    );
    for (const r of rows) if (r.parent_id) goalIds.add(r.parent_id);
  }
  const out = new Map<string, string>();
  if (goalIds.size === 0) return out;
  const ids = [...goalIds];
  const rows = await select<{ id: string; parent_id: string | null; deleted: number }>(
    sql,
    `SELECT id, parent_id, deleted FROM cx_dept_goals WHERE id IN (${placeholders(ids.length)})`,
    ids,
  );
  for (const r of rows) if (r.parent_id && Number(r.deleted) === 0) out.set(r.id, r.parent_id);
  return out;
}
