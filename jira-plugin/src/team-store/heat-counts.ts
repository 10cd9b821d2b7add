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

/** Recounts the given events from their clips (one statement, idempotent). */
export async function recountEvents(sql: Sql, eventIds: readonly string[]): Promise<void> {
  const ids = [...new Set(eventIds)];
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    await write(
      sql,
      `INSERT INTO cx_heat_count (event_id, counts, snap_at)
SELECT t.event_id, COALESCE(GROUP_CONCAT(CONCAT(c.heat_cat, ':', c.n) ORDER BY c.heat_cat SEPARATOR ','), ''), NOW(6)
FROM (${chunk.map(() => 'SELECT ? AS event_id').join(' UNION ALL ')}) t
LEFT JOIN (
  SELECT event_id, heat_cat, COUNT(*) AS n FROM ${EVIDENCE_TABLE}
  WHERE event_id IN (${placeholders(chunk.length)}) AND deleted = 0
  GROUP BY event_id, heat_cat
) c ON c.event_id = t.event_id
GROUP BY t.event_id
ON DUPLICATE KEY UPDATE counts = IF(VALUES(snap_at) >= snap_at, VALUES(counts), counts), snap_at = GREATEST(snap_at, VALUES(snap_at))`,
      [...chunk, ...chunk],
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
