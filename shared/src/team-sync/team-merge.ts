import { type FieldError, parseWith } from '../io/parse';
import type { DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import { applyToDeptGoal, metricDefinitionChanged } from '../verification/apply-to-goal';
import type { NameOf } from '../verification/who-may-verify';
import {
  type FieldPatch,
  flattenBody,
  sameValue,
  setKeyOf,
  unflattenBody,
  unionByKey,
} from './entity-fields';
import { type Actor, type Change, may, type RightsView } from './rights';
import { SERVER_OWNED_FIELDS, TEAM_KIND_LABELS, TEAM_KIND_SCHEMAS, type TeamKind } from './team-kinds';

/** When a field was last changed, and by whom: `[version, person id, ISO time]`. */
export type FieldStamp = readonly [version: number, by: string, at: string];

/**
 * One entity as the team store holds it: its body, a version bumped by every change, and for each field changed
 * since creation the version that changed it (the merge compares those with what a replica had seen).
 */
export interface EntityState {
  version: number;
  /** A deleted entity stays as a tombstone: replicas learn of the delete and its history is kept. */
  deleted: boolean;
  body: Record<string, unknown>;
  /** Versioned fields changed after the entity was created (absent fields date from creation, version 1). */
  stamps: Record<string, FieldStamp>;
  /** The ids of the latest operations applied to it, newest last (bounded): a retried push is a duplicate. */
  ops: string[];
  /** Who last changed it and when. */
  changedBy: string;
  changedAt: string;
}

/** How many recent operation ids an entity remembers for recognising a retried push. */
export const RECENT_OPS_KEPT = 32;

/** An operation a replica (or the Jira side) asks the team store to apply to one entity. */
export type TeamOp = {
  /** Unique per device (the device's own counter or a UUID): the same id again is the same operation. */
  opId: string;
  kind: TeamKind;
  id: string;
  /** The entity's version the change was made on; 0 for a new entity. */
  baseVersion: number;
} & ({ type: 'put'; fields: FieldPatch } | { type: 'delete' });

/** A field a change could not set because someone else changed it after the author last saw it. */
export interface SupersededField {
  field: string;
  /** Who changed it (person id) and when. */
  by: string;
  at: string;
}

/** Why an operation was refused. */
export type RefusalCode = 'forbidden' | 'invalid' | 'gone' | 'not-allowed';

/** What applying an operation to the stored state does (pure: the store writes `next`). */
export type OpDecision =
  | {
      status: 'applied';
      next: EntityState;
      /** Fields of the patch that were not applied (someone changed them since): the rest was. */
      superseded: SupersededField[];
      /** The versioned fields that changed. */
      changed: string[];
    }
  | { status: 'duplicate'; version: number }
  | { status: 'superseded'; version: number; superseded: SupersededField[]; message: string }
  | { status: 'refused'; code: RefusalCode; message: string; errors?: FieldError[] };

/** What deciding needs besides the state and the operation. */
export interface DecideContext {
  actor: Actor;
  view: RightsView;
  /** The store's clock, ISO. */
  now: string;
  /** The organisation chart, for verification commands (up-line manager at submission). */
  departments: readonly Department[];
  nameOf?: NameOf;
  /**
   * Changes Jira itself reports (an issue edited or moved in Jira by someone Jira allowed): not checked against
   * the team's rights, but merged by the same versions, so they are never undone by a replica that had not seen them.
   */
  trusted?: boolean;
  /**
   * The Jira app itself (the Jira sync recording issue links, the workflow recording a verification): may also
   * write the fields only the app owns. Implies `trusted`. Never set for anything a browser sent.
   */
  system?: boolean;
}

const refuse = (code: RefusalCode, message: string, errors?: FieldError[]): OpDecision => ({
  status: 'refused',
  code,
  message,
  ...(errors && { errors }),
});

/**
 * Decides what an operation does to an entity: applied (with the next state), a duplicate of one already applied,
 * superseded (every field it sets was changed by someone else after its author last saw the entity), or refused
 * (rights, an invalid result, or the entity is gone). The merge is per field: a change made on version `b` sets
 * field `f` only if `f` was not changed after `b`; append-only sets (check-ins, acknowledgements) are unioned.
 */
export function decideOp(state: EntityState | undefined, op: TeamOp, ctx: DecideContext): OpDecision {
  const label = TEAM_KIND_LABELS[op.kind];
  if (state?.ops.includes(op.opId)) return { status: 'duplicate', version: state.version };
  switch (op.type) {
    case 'put':
      return state === undefined ? decideCreate(op, ctx, label) : decideUpdate(state, op, ctx, label);
    case 'delete': {
      if (state === undefined || state.deleted) return { status: 'duplicate', version: state?.version ?? 0 };
      if (state.version > op.baseVersion) {
        return {
          status: 'superseded',
          version: state.version,
          superseded: [],
          message: `The ${label} was not deleted: ${(ctx.nameOf ?? String)(state.changedBy)} changed it after you last saw it. Look at it again first.`,
        };
      }
      const permission = check(ctx, {
        kind: op.kind,
        id: op.id,
        type: 'delete',
        before: state.body,
        fields: [],
      });
      if (!permission.ok) return refuse('forbidden', permission.message);
      return applied(state, op, ctx, { body: state.body, deleted: true, changed: [] });
    }
  }
}

function decideCreate(op: TeamOp & { type: 'put' }, ctx: DecideContext, label: string): OpDecision {
  if (op.baseVersion > 0)
    return refuse(
      'gone',
      `The ${label} no longer exists in the team workspace (it was never there or was purged).`,
    );
  const owned = new Set(ctx.system ? [] : (SERVER_OWNED_FIELDS[op.kind] ?? []));
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(op.fields)) {
    if (value !== null && !owned.has(field.split('.')[0] ?? field)) fields[field] = value;
  }
  const body = withServerFields(op.kind, unflattenBody(op.kind, fields), undefined, ctx);
  const parsed = parseWith(TEAM_KIND_SCHEMAS[op.kind], body, label);
  if (!parsed.ok) return invalid(op, parsed.errors, label);
  const after = parsed.value as Record<string, unknown>;
  if (typeof after.id === 'string' && after.id !== op.id)
    return refuse(
      'invalid',
      `The ${label}'s body names id "${String(after.id)}" but the operation is for "${op.id}".`,
    );
  const permission = check(ctx, {
    kind: op.kind,
    id: op.id,
    type: 'create',
    after,
    fields: Object.keys(fields),
  });
  if (!permission.ok) return refuse('forbidden', permission.message);
  return {
    status: 'applied',
    next: {
      version: 1,
      deleted: false,
      body: after,
      stamps: {},
      ops: [op.opId],
      changedBy: ctx.actor.personId,
      changedAt: ctx.now,
    },
    superseded: [],
    changed: Object.keys(flattenBody(op.kind, after)),
  };
}

function decideUpdate(
  state: EntityState,
  op: TeamOp & { type: 'put' },
  ctx: DecideContext,
  label: string,
): OpDecision {
  if (state.deleted)
    return refuse(
      'gone',
      `The ${label} was deleted by ${(ctx.nameOf ?? String)(state.changedBy)} at ${state.changedAt}; your change was not applied.`,
    );
  const owned = new Set(ctx.system ? [] : (SERVER_OWNED_FIELDS[op.kind] ?? []));
  const fields = flattenBody(op.kind, state.body);
  const superseded: SupersededField[] = [];
  const changed: string[] = [];
  for (const [field, value] of Object.entries(op.fields)) {
    if (owned.has(field.split('.')[0] ?? field)) continue;
    const key = setKeyOf(op.kind, field);
    if (key !== undefined) {
      const merged = unionByKey(fields[field], value, key);
      if (!sameValue(merged, fields[field])) {
        fields[field] = merged;
        changed.push(field);
      }
      continue;
    }
    const current = field in fields ? fields[field] : null;
    if (sameValue(current, value)) continue;
    const stamp = state.stamps[field];
    if ((stamp?.[0] ?? 1) > op.baseVersion) {
      superseded.push({ field, by: stamp?.[1] ?? state.changedBy, at: stamp?.[2] ?? state.changedAt });
      continue;
    }
    if (value === null) delete fields[field];
    else fields[field] = value;
    changed.push(field);
  }
  if (changed.length === 0) {
    if (superseded.length === 0) return { status: 'duplicate', version: state.version };
    return {
      status: 'superseded',
      version: state.version,
      superseded,
      message: supersededMessage(label, superseded, ctx),
    };
  }
  const body = withServerFields(op.kind, unflattenBody(op.kind, fields), state.body, ctx);
  const parsed = parseWith(TEAM_KIND_SCHEMAS[op.kind], body, label);
  if (!parsed.ok) return invalid(op, parsed.errors, label);
  let after = parsed.value as Record<string, unknown>;
  const permission = check(ctx, {
    kind: op.kind,
    id: op.id,
    type: 'update',
    before: state.body,
    after,
    fields: changed,
  });
  if (!permission.ok) return refuse('forbidden', permission.message);
  if (op.kind === 'deptGoals') {
    // A goal someone is checking (or has checked) goes back to draft when its metric's definition changes, so the
    // up-line manager never signs off a metric they did not see (the core verification machine decides).
    const goal = after as DeptGoal;
    if (metricDefinitionChanged((state.body as DeptGoal).metric, goal.metric)) {
      const edited = applyToDeptGoal(goal, { type: 'edit-metric', by: ctx.actor.personId, at: ctx.now }, ctx);
      if (edited.ok && edited.events.length > 0) {
        after = edited.goal as unknown as Record<string, unknown>;
        changed.push('verification', 'verificationHistory');
      }
    }
  }
  const decision = applied(state, op, ctx, { body: after, deleted: false, changed });
  return decision.status === 'applied' ? { ...decision, superseded } : decision;
}

function applied(
  state: EntityState,
  op: TeamOp,
  ctx: DecideContext,
  next: { body: Record<string, unknown>; deleted: boolean; changed: string[] },
): OpDecision {
  const version = state.version + 1;
  const stamps = { ...state.stamps };
  for (const field of next.changed) stamps[field] = [version, ctx.actor.personId, ctx.now];
  return {
    status: 'applied',
    next: {
      version,
      deleted: next.deleted,
      body: next.body,
      stamps,
      ops: [...state.ops, op.opId].slice(-RECENT_OPS_KEPT),
      changedBy: ctx.actor.personId,
      changedAt: ctx.now,
    },
    superseded: [],
    changed: next.changed,
  };
}

/**
 * Fields the store sets, whatever the body says: who captured a clip comes from the device that sent it, and
 * stays as it was on every later change; a new department goal starts as an unverified draft.
 */
function withServerFields(
  kind: TeamKind,
  body: Record<string, unknown>,
  before: Readonly<Record<string, unknown>> | undefined,
  ctx: DecideContext,
): Record<string, unknown> {
  if (ctx.system) {
    // The app's own writes keep what it set; a new goal still starts as a draft unless the app says otherwise.
    if (kind === 'deptGoals') {
      body.verification ??= before?.verification ?? { status: 'draft' };
      body.verificationHistory ??= before?.verificationHistory ?? [];
    }
    return body;
  }
  if (kind === 'evidence' && body.origin !== null && typeof body.origin === 'object') {
    const was = before?.origin as Record<string, unknown> | undefined;
    body.origin = {
      ...(body.origin as Record<string, unknown>),
      capturedBy: was?.capturedBy ?? ctx.actor.name,
      capturedById: was?.capturedById ?? ctx.actor.personId,
    };
  }
  if (kind === 'deptGoals') {
    body.verification = before?.verification ?? { status: 'draft' };
    body.verificationHistory = before?.verificationHistory ?? [];
    if (before?.jira !== undefined) body.jira = before.jira;
    else delete body.jira;
  }
  if (kind === 'actions') {
    if (before?.jira !== undefined) body.jira = before.jira;
    else delete body.jira;
  }
  return body;
}

function check(ctx: DecideContext, change: Change): ReturnType<typeof may> {
  return ctx.trusted || ctx.system ? { ok: true } : may(ctx.actor, change, ctx.view);
}

function invalid(op: TeamOp, errors: FieldError[], label: string): OpDecision {
  return refuse('invalid', `The ${label} ${op.id} is not valid: ${errors[0]?.message ?? 'invalid'}`, errors);
}

function supersededMessage(label: string, fields: readonly SupersededField[], ctx: DecideContext): string {
  const nameOf = ctx.nameOf ?? ((id: string) => id);
  const who = [...new Set(fields.map((f) => nameOf(f.by)))].join(' and ');
  return `Your change to the ${label} (${fields.map((f) => f.field).join(', ')}) was not applied: ${who} changed it after you last saw it.`;
}
