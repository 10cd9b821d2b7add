import {
  type EntityState,
  type Evidence,
  type FieldStamp,
  heatMapCategory,
  type TeamKind,
} from '@cxplan/core';
import { decodeClip, encodeClip } from './clip-codec';
import { placeholders, type Sql, select, write } from './sql';
import { ENTITY_TABLES, type EntityKind, EVIDENCE_TABLE, indexColumns } from './tables';

/** A stored row of any team kind, as read from its table. */
interface StoredRow {
  id: string;
  version: number;
  deleted: number;
  changed_at: string;
  changed_by: string;
  body: string;
  meta: string | null;
}

/** What a row's `meta` column holds: the merge's field stamps and the recent operation ids. */
interface Meta {
  s?: Record<string, FieldStamp>;
  o?: string[];
}

/** The table of a kind. */
export function tableOf(kind: TeamKind): string {
  return kind === 'evidence' ? EVIDENCE_TABLE : ENTITY_TABLES[kind as EntityKind];
}

/** A DATETIME(6) as Forge SQL returns it (`2026-12-01 10:00:00.123456`, UTC) → ISO 8601. */
export function sqlTimeToIso(value: string): string {
  return `${value.replace(' ', 'T').replace(/(\.\d{3})\d*$/, '$1')}${/\.\d+$/.test(value) ? '' : '.000'}Z`;
}

/** Decodes a stored row into the merge's entity state (body and meta are JSON the store itself wrote). */
export function rowToState(kind: TeamKind, row: StoredRow): EntityState {
  const meta = (row.meta ? JSON.parse(row.meta) : {}) as Meta;
  const body = decodeBody(kind, row.body);
  return {
    version: Number(row.version),
    deleted: Number(row.deleted) === 1,
    body: { id: row.id, ...body },
    stamps: meta.s ?? {},
    ops: meta.o ?? [],
    changedBy: row.changed_by,
    changedAt: sqlTimeToIso(row.changed_at),
  };
}

function encodeMeta(state: EntityState): string | null {
  const meta: Meta = {};
  if (Object.keys(state.stamps).length > 0) meta.s = state.stamps;
  if (state.ops.length > 0) meta.o = state.ops;
  return Object.keys(meta).length === 0 ? null : JSON.stringify(meta);
}

/** The body as stored: without its id (the id column holds it); a clip in its compact form (clip-codec.ts). */
function encodeBody(kind: TeamKind, body: Readonly<Record<string, unknown>>): string {
  if (kind === 'evidence') return encodeClip(body);
  const { id: _id, ...rest } = body;
  return JSON.stringify(rest);
}

/** A stored body (without its id) read back. */
export function decodeBody(kind: TeamKind, json: string): Record<string, unknown> {
  return kind === 'evidence' ? decodeClip(json) : (JSON.parse(json) as Record<string, unknown>);
}

/** Reads entities of one kind by id (missing ids are absent from the map). */
export async function readStates(
  sql: Sql,
  kind: TeamKind,
  ids: readonly string[],
): Promise<Map<string, EntityState>> {
  const out = new Map<string, EntityState>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await select<StoredRow>(
      sql,
      `SELECT id, version, deleted, changed_at, changed_by, body, meta FROM ${tableOf(kind)} WHERE id IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const row of rows) out.set(row.id, rowToState(kind, row));
  }
  return out;
}

/** Reads every live entity of one kind (small kinds: departments, people, framework). */
export async function readAllStates(sql: Sql, kind: EntityKind): Promise<Map<string, EntityState>> {
  const rows = await select<StoredRow>(
    sql,
    `SELECT id, version, deleted, changed_at, changed_by, body, meta FROM ${ENTITY_TABLES[kind]} WHERE deleted = 0`,
  );
  return new Map(rows.map((r) => [r.id, rowToState(kind, r)]));
}

/** The columns of a row besides id and version, in the order the statements below bind them. */
function rowValues(kind: TeamKind, state: EntityState): unknown[] {
  const common = [state.deleted ? 1 : 0, state.changedBy, encodeBody(kind, state.body), encodeMeta(state)];
  if (kind === 'evidence') {
    const body = state.body as unknown as Evidence;
    return [
      ...common,
      body.origin?.capturedById ?? state.changedBy,
      body.eventId ?? '',
      heatMapCategory(body),
    ];
  }
  const { cycleId, parentId } = indexColumns(kind as EntityKind, state.body);
  return [...common, cycleId ?? null, parentId ?? null];
}

function columnNames(kind: TeamKind): string[] {
  const common = ['deleted', 'changed_by', 'body', 'meta'];
  return kind === 'evidence'
    ? [...common, 'captured_by', 'event_id', 'heat_cat']
    : [...common, 'cycle_id', 'parent_id'];
}

/**
 * Inserts new entities in one statement; rows whose id already exists are left as they are (INSERT IGNORE-like, by
 * an ON DUPLICATE KEY no-op, so other errors still surface). Returns nothing: the caller reads back which rows are
 * its own, because another writer may have created the same id first.
 */
export async function insertStates(
  sql: Sql,
  kind: TeamKind,
  rows: ReadonlyArray<readonly [string, EntityState]>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = ['id', 'version', 'changed_at', ...columnNames(kind)];
  const one = `(?, ?, NOW(6), ${placeholders(columnNames(kind).length)})`;
  const params = rows.flatMap(([id, state]) => [id, state.version, ...rowValues(kind, state)]);
  await write(
    sql,
    `INSERT INTO ${tableOf(kind)} (${columns.join(', ')}) VALUES ${rows.map(() => one).join(', ')} ON DUPLICATE KEY UPDATE id = id`,
    params,
  );
}

/**
 * Compare-and-set of one entity: writes the new state only if the stored version is still `expectedVersion`.
 * One statement, so it is atomic without a transaction (Forge SQL has none); false when someone else wrote first.
 */
export async function updateState(
  sql: Sql,
  kind: TeamKind,
  id: string,
  expectedVersion: number,
  next: EntityState,
): Promise<boolean> {
  const assignments = [
    'version = ?',
    'changed_at = NOW(6)',
    ...columnNames(kind).map((c) => `${c} = ?`),
  ].join(', ');
  const changed = await write(
    sql,
    `UPDATE ${tableOf(kind)} SET ${assignments} WHERE id = ? AND version = ?`,
    [next.version, ...rowValues(kind, next), id, expectedVersion],
  );
  return changed === 1;
}

/**
 * Reads the entities of one kind whose query column (`cycle_id` or `parent_id`) has a value, tombstones included
 * when asked (the Jira sync closes the issues of deleted goals and actions). One index range.
 */
export async function readStatesBy(
  sql: Sql,
  kind: EntityKind,
  column: 'cycle_id' | 'parent_id',
  value: string,
  options: { includeDeleted?: boolean } = {},
): Promise<Map<string, EntityState>> {
  const rows = await select<StoredRow>(
    sql,
    `SELECT id, version, deleted, changed_at, changed_by, body, meta FROM ${ENTITY_TABLES[kind]} WHERE ${column} = ?${options.includeDeleted ? '' : ' AND deleted = 0'}`,
    [value],
  );
  return new Map(rows.map((r) => [r.id, rowToState(kind, r)]));
}
