import type { CxplanDb } from '../storage/db';
import { syncsToTeam } from '../storage/local-only';
import { versionOf } from '../storage/pending-changes';
import type { SyncNotice } from '../storage/sync-rows';
import { readConnection, type TeamConnection } from '../storage/team-link';
import { type FeedState, readFeed } from './replica';

/** Where this browser stands with the team workspace, for the options page, the popup and the dashboard. */
export type TeamStatus =
  | { connected: false }
  | {
      connected: true;
      connection: TeamConnection;
      /** Changes made here that the team has not taken yet. */
      waiting: number;
      /** The newest error while sending, if the last try failed. */
      lastError?: string;
      /** Notices the person has not seen yet (newest first). */
      notices: SyncNotice[];
      /** The last time this browser caught up with the team (ISO), if ever. */
      caughtUpAt?: string;
      /** While the first sync runs: how many of the team's clips have arrived. */
      firstSync?: { received: number; total: number };
      /** What the last sync did. */
      lastSync?: FeedState['lastSync'];
    };

/** Reads the status (a few small reads; the popup polls it). */
export async function teamStatus(db: CxplanDb): Promise<TeamStatus> {
  const connection = await readConnection(db);
  if (!connection) return { connected: false };
  const [waiting, failing, notices, feed] = await Promise.all([
    db.syncOps.count(),
    db.syncOps.filter((op) => op.lastError !== undefined).last(),
    db.syncNotices.where('seen').equals(0).reverse().sortBy('at'),
    readFeed(db),
  ]);
  return {
    connected: true,
    connection,
    waiting,
    ...(failing?.lastError !== undefined && { lastError: failing.lastError }),
    notices,
    ...(feed.caughtUpAt !== undefined && { caughtUpAt: new Date(feed.caughtUpAt).toISOString() }),
    ...(feed.firstSync && {
      firstSync: { received: feed.firstSync.received, total: feed.firstSync.evidenceTotal },
    }),
    ...(feed.lastSync && { lastSync: feed.lastSync }),
  };
}

/**
 * A short label per clip: where it stands with the team. A browser used alone is not an error: its clips are simply
 * "Kept in this browser".
 */
export async function clipLabels(db: CxplanDb, ids: readonly string[]): Promise<Record<string, string>> {
  const connection = await readConnection(db);
  const out: Record<string, string> = {};
  if (!connection) {
    for (const id of ids) out[id] = 'Kept in this browser';
    return out;
  }
  const [rows, ops] = await Promise.all([
    db.evidence.bulkGet([...ids]),
    db.syncOps
      .where('[kind+id]')
      .anyOf(ids.map((id) => ['evidence', id]))
      .toArray(),
  ]);
  const waiting = new Map(ops.map((op) => [op.id, op]));
  ids.forEach((id, i) => {
    const op = waiting.get(id);
    if (!syncsToTeam(id)) out[id] = 'Sample (never shared)';
    else if (connection.broken)
      out[id] = op ? `Not sent: ${connection.broken.message}` : 'Shared with the team';
    else if (op) out[id] = op.lastError ? `Waiting to send (${op.lastError})` : 'Waiting to send';
    else if (versionOf(rows[i] as Record<string, unknown> | undefined) > 0) out[id] = 'Shared with the team';
    else
      out[id] =
        connection.phase === 'confirm-upload'
          ? 'Kept in this browser (upload not confirmed)'
          : 'Waiting to send';
  });
  return out;
}

/** Marks every notice seen (the person read them). */
export async function markNoticesSeen(db: CxplanDb): Promise<void> {
  await db.syncNotices.where('seen').equals(0).modify({ seen: 1 });
}
