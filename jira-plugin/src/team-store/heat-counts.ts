import type { HeatMapCount } from '@cxplan/core';
import { placeholders, type Sql, select, write } from './sql';
import { EVIDENCE_TABLE } from './tables';

/**
 * The team's heat-map counts (clips per customer event and category), kept in step with every clip write, so the
 * heat map never needs a GROUP BY over a million clips (≈4 s on MariaDB, at Forge's 5 s SELECT limit).
 *
 * Without transactions a push cannot change clips and counts atomically, so counts are not incremented: each
 * event a push touches is **recounted** from its clips in one statement (an index range over that event's clips),
 * which is idempotent — a retried or repeated recount writes the same numbers. Crash safety: before writing clips
 * the push marks the events (cx_heat_mark); after the recount it deletes its own marks. A push that dies leaves
 * its marks, and any later push or read recounts marked events older than {@link STALE_MARK_SECONDS}. Two
 * recounts of one event racing: each writes with the time its statement started (`snap_at`) and the row keeps
 * the newer one, so an older snapshot landing last cannot overwrite a newer count. (On TiDB, NOW(6) comes from
 * the SQL node's clock; nodes are NTP-synchronised, and a residual inversion of a few milliseconds between two
 * recounts of the same event within those milliseconds is repaired by the next recount of that event.)
 */

/** A mark older than this belongs to a push that died (pushes stop writing after ~20 s; DML runs ≤ 10 s). */
export const STALE_MARK_SECONDS = 60;

/** Marks events a push is about to change (one statement). */
export async function markEvents(sql: Sql, pushId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await write(
    sql,
    `INSERT INTO cx_heat_mark (event_id, push_id, marked_at) VALUES ${eventIds.map(() => '(?, ?, NOW(6))').join(', ')} ON DUPLICATE KEY UPDATE marked_at = marked_at`,
    eventIds.flatMap((e) => [e, pushId]),
  );
}

/**
 * Recounts the given events from their clips, idempotently: one SELECT counts (an index range over those events'
 * clips, stamped with the database time it read at), one INSERT … ON DUPLICATE KEY UPDATE writes the counts with
 * that stamp. Two plain statements rather than one INSERT … SELECT over a derived table: as a prepared statement
 * (how Forge SQL runs every statement) MariaDB did not push the event list into the derived table and counted every
 * clip of the installation — 12 s at a million clips, against 20 ms for the plain SELECT (bench/team-store.ts).
 */
export async function recountEvents(sql: Sql, eventIds: readonly string[]): Promise<void> {
  const ids = [...new Set(eventIds)];
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    // The extra row carries the read's time even when every event in the chunk has no clip left.
    const rows = await select<{ event_id: string | null; heat_cat: number | null; n: number; at: string }>(
      sql,
      `SELECT event_id, heat_cat, COUNT(*) AS n, DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f') AS at FROM ${EVIDENCE_TABLE}
WHERE event_id IN (${placeholders(chunk.length)}) AND deleted = 0 GROUP BY event_id, heat_cat
UNION ALL SELECT NULL, NULL, 0, DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f')`,
      chunk,
    );
    const at = rows.find((r) => r.event_id === null)?.at ?? rows[0]?.at;
    const counts = new Map<string, string[]>(chunk.map((id) => [id, []]));
    for (const r of rows) {
      if (r.event_id === null || r.heat_cat === null) continue;
      counts.get(r.event_id)?.push(`${Number(r.heat_cat)}:${Number(r.n)}`);
    }
    const values = [...counts.entries()].map(([id, list]) => [
      id,
      list.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10)).join(','),
      at,
    ]);
    await write(
      sql,
      `INSERT INTO cx_heat_count (event_id, counts, snap_at) VALUES ${values.map(() => '(?, ?, ?)').join(', ')}
ON DUPLICATE KEY UPDATE counts = IF(VALUES(snap_at) >= snap_at, VALUES(counts), counts), snap_at = GREATEST(snap_at, VALUES(snap_at))`,
      values.flat(),
    );
  }
}

/** Deletes a push's own marks once its recount is done. */
export async function unmarkEvents(sql: Sql, pushId: string): Promise<void> {
  await write(sql, 'DELETE FROM cx_heat_mark WHERE push_id = ?', [pushId]);
}

/** Recounts the events of marks left by pushes that died, then removes those marks. */
export async function repairStaleMarks(sql: Sql): Promise<number> {
  const stale = await select<{ event_id: string }>(
    sql,
    `SELECT DISTINCT event_id FROM cx_heat_mark WHERE marked_at < NOW(6) - INTERVAL ${STALE_MARK_SECONDS} SECOND LIMIT 500`,
  );
  if (stale.length === 0) return 0;
  const ids = stale.map((r) => r.event_id);
  await recountEvents(sql, ids);
  await write(
    sql,
    `DELETE FROM cx_heat_mark WHERE event_id IN (${placeholders(ids.length)}) AND marked_at < NOW(6) - INTERVAL ${STALE_MARK_SECONDS} SECOND`,
    ids,
  );
  return ids.length;
}

/** Every stored count (one row per event, at most a few thousand rows). Event '' holds clips on no event. */
export async function readHeatCounts(sql: Sql): Promise<HeatMapCount[]> {
  const rows = await select<{ event_id: string; counts: string }>(
    sql,
    'SELECT event_id, counts FROM cx_heat_count',
  );
  const out: HeatMapCount[] = [];
  for (const row of rows) {
    if (row.counts === '') continue;
    for (const pair of row.counts.split(',')) {
      const [category, count] = pair.split(':').map(Number);
      if (category !== undefined && count !== undefined && count > 0)
        out.push({ eventId: row.event_id, category, count });
    }
  }
  return out;
}
