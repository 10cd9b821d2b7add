import type { HeatMapCount, TeamChange, TeamKind } from '@cxplan/core';
import * as v from 'valibot';
import { decodeBody, sqlTimeToIso } from './entity-rows';
import { nothingNewSince } from './feed-head';
import { readHeatCounts, repairStaleMarks } from './heat-counts';
import { type Sql, select } from './sql';
import { ENTITY_KINDS, ENTITY_TABLES, EVIDENCE_TABLE } from './tables';
import type { TeamKvs } from './team-kvs';

/**
 * The change feed replicas pull from. Forge SQL has no change feed and no transactions, and TiDB hands out
 * AUTO_INCREMENT values per SQL node (not in commit order), so positions are not auto-increment ids. Every write
 * statement stamps its rows with the database's `NOW(6)` (`changed_at`), and the feed is read in
 * `(changed_at, kind, id)` order. A statement's rows become visible when it commits, at most {@link DML_LIMIT_S}
 * seconds after its `NOW(6)` (Forge cancels longer DML) — so a row can appear *behind* rows already read.
 *
 * The lagged watermark: a pull reads everything after the cursor, but the cursor's durable position only moves up
 * to `S = (database time when the pull began) − SAFETY_WINDOW`: every row stamped at or before S was committed
 * before the pull read, so nothing behind the position can still appear. Rows after S are delivered too (no
 * latency) and read again by the next pull — repeats are harmless because a replica applies a change only when
 * its version is newer. A long catch-up continues page by page from a tail key, keeping the first page's S, so
 * rows that appear behind the tail meanwhile are read again from the durable position once caught up.
 */

/** Longest a DML statement can run before Forge cancels it, in seconds. */
export const DML_LIMIT_S = 10;

/** How far behind the database's clock the durable position stays: the DML limit plus 5 s of clock slack. */
export const SAFETY_WINDOW_S = DML_LIMIT_S + 5;

const KeySchema = v.tuple([v.string(), v.number(), v.string()]);
/** A position in the feed: `[changed_at as 'YYYY-MM-DD HH:MM:SS.ffffff', kind order, id]`. */
type Key = v.InferOutput<typeof KeySchema>;

const CursorSchema = v.object({
  v: v.literal(1),
  /** Durable positions of the entity stream and the clip stream. */
  ep: KeySchema,
  cp: KeySchema,
  /** Tails of a catch-up in progress (read on from here, keep `run`). */
  et: v.optional(KeySchema),
  ct: v.optional(KeySchema),
  /** The safe time of the catch-up in progress. */
  run: v.optional(v.string()),
  /** When the pull that made this cursor began (the app's clock, ms). */
  s: v.number(),
  /** That pull had nothing more. */
  done: v.boolean(),
});
/** A replica's position in the feed (opaque to the replica). */
export type FeedCursor = v.InferOutput<typeof CursorSchema>;

const ZERO_TIME = '1970-01-01 00:00:00.000000';
const AFTER_ALL_KINDS = 99;
const EVIDENCE_ORD = 50;

/** Encodes a cursor for the wire. */
export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Decodes a cursor from the wire; undefined when absent; throws a readable error when it is not one of ours. */
export function decodeCursor(text: string | undefined): FeedCursor | undefined {
  if (text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new Error('the cursor is not one this server gave out');
  }
  const parsed = v.safeParse(CursorSchema, raw);
  if (!parsed.success) throw new Error('the cursor is not one this server gave out');
  return parsed.output;
}

/** What the feed needs. */
export interface FeedDeps {
  sql: Sql;
  kv: Pick<TeamKvs, 'get'>;
  now: () => number;
}

/** One page of the feed. */
export interface FeedPage {
  changes: TeamChange[];
  cursor: FeedCursor;
  more: boolean;
  idle: boolean;
  /** On a first pull (no cursor): the team's heat-map counts and the newest clips, so a new replica is usable at once. */
  first?: { heatCounts: HeatMapCount[]; recent: TeamChange[] };
}

interface FeedRow {
  kind: string;
  ord: number;
  id: string;
  version: number;
  deleted: number;
  changed_by: string;
  ca: string;
  body: string;
}

const TIME = "DATE_FORMAT(changed_at, '%Y-%m-%d %H:%i:%s.%f')";

/**
 * Reads the next page of changes after a cursor (see the module comment for why it never misses a committed
 * change). `limit` bounds the rows of each stream; the clip stream is read in smaller pages if an answer would be
 * over Forge's 4 MiB response limit.
 */
export async function pullPage(
  deps: FeedDeps,
  cursorText: string | undefined,
  limit = 2000,
): Promise<FeedPage> {
  const cursor = decodeCursor(cursorText);
  const servedAt = deps.now();
  const catchingUp = cursor?.et !== undefined || cursor?.ct !== undefined;
  if (cursor?.done && !catchingUp && (await nothingNewSince(deps.kv, cursor.s))) {
    return { changes: [], cursor, more: false, idle: true };
  }
  const run =
    catchingUp && cursor?.run
      ? cursor.run
      : ((
          await select<{ safe: string }>(
            deps.sql,
            `SELECT DATE_FORMAT(NOW(6) - INTERVAL ${SAFETY_WINDOW_S} SECOND, '%Y-%m-%d %H:%i:%s.%f') AS safe`,
          )
        )[0]?.safe ?? ZERO_TIME);
  const ep: Key = cursor?.ep ?? [ZERO_TIME, -1, ''];
  const cp: Key = cursor?.cp ?? [ZERO_TIME, EVIDENCE_ORD, ''];

  const entityLimit = Math.min(limit, 1000);
  const entityRows = await readEntities(deps.sql, cursor?.et ?? ep, entityLimit + 1);
  const entityMore = entityRows.length > entityLimit;
  const entities = entityRows.slice(0, entityLimit);

  let clips: FeedRow[] = [];
  let clipMore = false;
  if (!entityMore) {
    ({ rows: clips, more: clipMore } = await readClipsAdaptive(
      deps.sql,
      cursor?.ct ?? cp,
      Math.max(1, limit - entities.length),
    ));
  }

  const next: FeedCursor = {
    v: 1,
    ep: advance(ep, entities, run, entityMore),
    cp: entityMore ? cp : advance(cp, clips, run, clipMore),
    s: servedAt,
    done: !entityMore && !clipMore,
  };
  if (entityMore) next.et = keyOf(entities.at(-1) as FeedRow);
  if (clipMore) next.ct = keyOf(clips.at(-1) as FeedRow);
  else if (entityMore && cursor?.ct) next.ct = cursor.ct;
  if (!next.done) next.run = run;

  const page: FeedPage = {
    changes: [...entities, ...clips].map(toChange),
    cursor: next,
    more: !next.done,
    idle: false,
  };
  if (cursor === undefined) {
    await repairStaleMarks(deps.sql);
    const recent = await select<FeedRow>(
      deps.sql,
      `SELECT 'evidence' AS kind, ${EVIDENCE_ORD} AS ord, id, version, deleted, changed_by, ${TIME} AS ca, body FROM ${EVIDENCE_TABLE} WHERE deleted = 0 ORDER BY changed_at DESC, id DESC LIMIT 100`,
    );
    page.first = { heatCounts: await readHeatCounts(deps.sql), recent: recent.map(toChange) };
  }
  return page;
}

/**
 * The durable position after a page: the last row stamped at or before the run's safe time when the stream has
 * more; when it is exhausted, the safe time itself (everything up to it was visible and has been read).
 */
function advance(position: Key, rows: readonly FeedRow[], safe: string, more: boolean): Key {
  let out = position;
  for (const row of rows) if (row.ca <= safe && compareKeys(keyOf(row), out) > 0) out = keyOf(row);
  if (!more) {
    const end: Key = [safe, AFTER_ALL_KINDS, ''];
    if (compareKeys(end, out) > 0) out = end;
  }
  return out;
}

function compareKeys(a: Key, b: Key): number {
  return a[0] < b[0]
    ? -1
    : a[0] > b[0]
      ? 1
      : a[1] !== b[1]
        ? a[1] - b[1]
        : a[2] < b[2]
          ? -1
          : a[2] > b[2]
            ? 1
            : 0;
}

function keyOf(row: FeedRow): Key {
  return [row.ca, Number(row.ord), row.id];
}

/** Rows of the entity tables after a key, in feed order: one statement, a UNION ALL of each table's index range. */
async function readEntities(sql: Sql, after: Key, limit: number): Promise<FeedRow[]> {
  const [time, ord, id] = after;
  const parts: string[] = [];
  const params: unknown[] = [];
  ENTITY_KINDS.forEach((kind, k) => {
    let where: string;
    if (k > ord) {
      where = 'changed_at >= ?';
      params.push(time);
    } else if (k === ord) {
      where = '(changed_at > ? OR (changed_at = ? AND id > ?))';
      params.push(time, time, id);
    } else {
      where = 'changed_at > ?';
      params.push(time);
    }
    parts.push(
      `(SELECT '${kind}' AS kind, ${k} AS ord, id, version, deleted, changed_by, ${TIME} AS ca, body FROM ${ENTITY_TABLES[kind]} WHERE ${where} ORDER BY changed_at, id LIMIT ${limit})`,
    );
  });
  return select<FeedRow>(sql, `${parts.join(' UNION ALL ')} ORDER BY ca, ord, id LIMIT ${limit}`, params);
}

/** Clip rows after a key; halves the page while Forge refuses the answer as too large. */
async function readClipsAdaptive(
  sql: Sql,
  after: Key,
  limit: number,
): Promise<{ rows: FeedRow[]; more: boolean }> {
  let size = limit;
  for (;;) {
    try {
      const rows = await select<FeedRow>(
        sql,
        `SELECT 'evidence' AS kind, ${EVIDENCE_ORD} AS ord, id, version, deleted, changed_by, ${TIME} AS ca, body FROM ${EVIDENCE_TABLE} WHERE changed_at > ? OR (changed_at = ? AND id > ?) ORDER BY changed_at, id LIMIT ${size + 1}`,
        [after[0], after[0], after[2]],
      );
      return { rows: rows.slice(0, size), more: rows.length > size };
    } catch (error) {
      const status = (error as { responseDetails?: { status?: number } }).responseDetails?.status;
      if (status !== 413 || size <= 1) throw error;
      size = Math.max(1, Math.floor(size / 2));
    }
  }
}

function toChange(row: FeedRow): TeamChange {
  const deleted = Number(row.deleted) === 1;
  const change: TeamChange = {
    kind: row.kind as TeamKind,
    id: row.id,
    version: Number(row.version),
    deleted,
    changedBy: row.changed_by,
    changedAt: sqlTimeToIso(row.ca),
  };
  if (!deleted) change.body = { id: row.id, ...decodeBody(row.kind as TeamKind, row.body) };
  return change;
}
