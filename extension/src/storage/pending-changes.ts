import { diffBodies, type FieldPatch, SET_FIELDS, type TeamKind } from '@cxplan/core';
import type { CxplanDb } from './db';
import { syncsToTeam } from './local-only';
import { type PendingOp, VERSION_FIELD } from './sync-rows';
import { isRecording } from './team-link';

/** A write to one entity, as the storage service saw it: the stored row before (raw) and the row after (parsed). */
export interface LocalChange {
  kind: TeamKind;
  id: string;
  /** The row as it was stored (with `_v` and any index-only fields); undefined for a new entity. */
  before: Readonly<Record<string, unknown>> | undefined;
  /** The row as written (parsed with its schema); undefined for a delete. */
  after: Readonly<Record<string, unknown>> | undefined;
}

/** Tables a write transaction must hold so its changes are recorded with it (see {@link recordChanges}). */
export const RECORD_SCOPE = ['meta', 'syncOps'] as const;

/** Fields a stored row carries that are not part of the entity (the team version, index-only fields). */
const STORAGE_ONLY = new Set([VERSION_FIELD, 'searchWords', 'untaggedAt', 'key']);

/** The entity a stored row holds, without what only storage keeps. */
export function entityOf(
  row: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (row === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!STORAGE_ONLY.has(k)) out[k] = v;
  return out;
}

/** The team version a stored row is based on (0: never in the team workspace). */
export function versionOf(row: Readonly<Record<string, unknown>> | undefined): number {
  const v = row?.[VERSION_FIELD];
  return typeof v === 'number' ? v : 0;
}

/**
 * Records local writes as pending operations, in the transaction that wrote them (call it inside a read-write
 * transaction that also holds {@link RECORD_SCOPE}), so a row and its pending change commit or fail together.
 * Nothing is recorded while the browser is not connected to a team (then the workspace is simply local; a later
 * connection uploads it once). While a change to an entity waits, later changes fold into it: the newest value of
 * each field, one operation, made on the version the first was made on — so the store still knows which fields
 * others changed since the person looked.
 */
export async function recordChanges(
  db: CxplanDb,
  changes: readonly LocalChange[],
  newId: () => string,
  now: number,
): Promise<number> {
  const wanted = changes.filter((c) => syncsToTeam(c.id));
  if (wanted.length === 0 || !(await isRecording(db))) return 0;
  const waiting = await db.syncOps
    .where('[kind+id]')
    .anyOf(wanted.map((c) => [c.kind, c.id]))
    .toArray();
  const byEntity = new Map<string, PendingOp[]>();
  for (const op of waiting)
    byEntity.set(`${op.kind}\u0000${op.id}`, [...(byEntity.get(`${op.kind}\u0000${op.id}`) ?? []), op]);
  const add: PendingOp[] = [];
  const update: PendingOp[] = [];
  const remove: number[] = [];
  for (const change of wanted) {
    const key = `${change.kind}\u0000${change.id}`;
    const ops = byEntity.get(key) ?? [];
    const open = ops.find((op) => op.status === 'pending' && op.type === 'put');
    const base = versionOf(change.before);
    if (change.after === undefined) {
      // Deleting something the team never had: its waiting operations go, nothing is sent.
      const everInTeam = base > 0 || ops.some((op) => op.status === 'sending');
      for (const op of ops) if (op.status === 'pending' && op.seq !== undefined) remove.push(op.seq);
      if (everInTeam)
        add.push({
          opId: newId(),
          kind: change.kind,
          id: change.id,
          baseVersion: base,
          type: 'delete',
          createdAt: now,
          status: 'pending',
          attempts: 0,
        });
      continue;
    }
    const fields = diffBodies(change.kind, entityOf(change.before), change.after);
    dropUnchangedSets(change.kind, fields, entityOf(change.before));
    if (Object.keys(fields).length === 0) continue;
    if (open) {
      open.fields = { ...open.fields, ...fields };
      update.push(open);
    } else {
      const entry: PendingOp = {
        opId: newId(),
        kind: change.kind,
        id: change.id,
        baseVersion: base,
        type: 'put',
        fields,
        createdAt: now,
        status: 'pending',
        attempts: 0,
      };
      add.push(entry);
      byEntity.set(key, [...ops, entry]);
    }
  }
  if (remove.length > 0) await db.syncOps.bulkDelete(remove);
  if (update.length > 0) await db.syncOps.bulkPut(update);
  if (add.length > 0) await db.syncOps.bulkAdd(add);
  return add.length + update.length;
}

/** A set field (check-ins) sent whole is merged by the store, so only a set that gained members needs sending. */
function dropUnchangedSets(
  kind: TeamKind,
  fields: FieldPatch,
  before: Record<string, unknown> | undefined,
): void {
  for (const field of Object.keys(SET_FIELDS[kind] ?? {})) {
    if (fields[field] === null && before !== undefined) delete fields[field];
  }
}
