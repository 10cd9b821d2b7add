import {
  backoffMs,
  type HeatMapCount,
  MAX_PUSH_OPS,
  type OpResult,
  type TeamChange,
  type TeamMember,
  type TeamOp,
  utf8ByteLength,
} from '@cxplan/core';
import type { CxplanDb } from '../storage/db';
import { entityOf, versionOf } from '../storage/pending-changes';
import { type PendingOp, VERSION_FIELD } from '../storage/sync-rows';
import { readConnection, type TeamConnection, updateConnection } from '../storage/team-link';
import { APPLY_SCOPE, applyChanges, applyChangesInTransaction } from './apply-changes';
import { entityLabel, noticeOf } from './notices';
import type { TeamTransport } from './team-transport';

/** The replica's place in the team's change feed (meta 'feed'). */
export interface FeedState {
  cursor?: string;
  /** The last time a pull caught up (ms). */
  caughtUpAt?: number;
  /**
   * While the first sync is running: the team's heat-map counts and clip total as the team had them when it began,
   * so the dashboard shows the team's heat map before every clip has arrived.
   */
  firstSync?: { heatCounts: HeatMapCount[]; evidenceTotal: number; received: number };
  /** What the last sync did (when it began, how long it took, what moved). */
  lastSync?: {
    at: number;
    ms: number;
    pushed: number;
    pulledPages: number;
    changesReceived: number;
    rowsWritten: number;
    error?: string;
  };
}

/** What one sync did. */
export interface SyncReport {
  skipped?: 'not-connected' | 'broken' | 'awaiting-upload' | 'busy';
  pushed: number;
  applied: number;
  notices: number;
  pulledPages: number;
  changesReceived: number;
  rowsWritten: number;
  /** When the replica should try again (ms from now), after a failure. */
  retryInMs?: number;
  error?: string;
}

/** What the replica needs. */
export interface ReplicaDeps {
  db: CxplanDb;
  /** Built for the stored connection (device id, key, clock offset). */
  transport: (connection: TeamConnection) => Promise<TeamTransport>;
  clock?: () => number;
  random?: () => number;
  /** Largest push in bytes (the endpoint takes 2 MiB; a push also fits one SQL request of 1 MiB). */
  maxPushBytes?: number;
  maxPushOps?: number;
  pullLimit?: number;
}

/** The sync running for each database (one at a time per browser profile). */
const running = new WeakMap<CxplanDb, Promise<SyncReport>>();

/**
 * One sync: push this browser's waiting changes, then pull the team's until caught up. One runs at a time; while
 * offline everything stays waiting in IndexedDB and the next sync (or the next browser start) resumes. Never holds a
 * Dexie transaction across a network call: each push's answer and each pulled page is written in its own
 * transaction, so a browser closed at any point loses nothing (an operation marked sending is sent again; the store
 * knows it by its id).
 */
export function syncWithTeam(deps: ReplicaDeps): Promise<SyncReport> {
  const current = running.get(deps.db);
  if (current) return current;
  const next = sync(deps).finally(() => running.delete(deps.db));
  running.set(deps.db, next);
  return next;
}

async function sync(deps: ReplicaDeps): Promise<SyncReport> {
  const report: SyncReport = {
    pushed: 0,
    applied: 0,
    notices: 0,
    pulledPages: 0,
    changesReceived: 0,
    rowsWritten: 0,
  };
  const connection = await readConnection(deps.db);
  if (!connection) return { ...report, skipped: 'not-connected' };
  if (connection.broken) return { ...report, skipped: 'broken' };
  if (connection.phase !== 'connected') return { ...report, skipped: 'awaiting-upload' };
  const transport = await deps.transport(connection);
  // Operations a closed browser left "sending" are sent again (the store answers duplicates for those it applied).
  await deps.db.syncOps.where('status').equals('sending').modify({ status: 'pending' });

  const started = (deps.clock ?? Date.now)();
  const stop = await push(deps, transport, report);
  const done = stop ?? (await pull(deps, transport, report));
  // Kept for the status (and the benchmark): what the last sync did.
  const feed = await readFeed(deps.db);
  await writeFeed(deps.db, {
    ...feed,
    lastSync: {
      at: started,
      ms: (deps.clock ?? Date.now)() - started,
      pushed: done.pushed,
      pulledPages: done.pulledPages,
      changesReceived: done.changesReceived,
      rowsWritten: done.rowsWritten,
      ...(done.error !== undefined && { error: done.error }),
    },
  });
  return done;
}

/** Pushes every waiting operation in batches; returns a report when the sync must stop early. */
async function push(
  deps: ReplicaDeps,
  transport: TeamTransport,
  report: SyncReport,
): Promise<SyncReport | undefined> {
  const clock = deps.clock ?? Date.now;
  let maxOps = deps.maxPushOps ?? MAX_PUSH_OPS;
  const maxBytes = deps.maxPushBytes ?? 900_000;
  for (;;) {
    const waiting = await deps.db.syncOps.where('status').equals('pending').sortBy('seq');
    if (waiting.length === 0) return undefined;
    const batch: PendingOp[] = [];
    let bytes = 0;
    for (const op of waiting) {
      const size = utf8ByteLength(JSON.stringify(op.fields ?? {})) + 200;
      if (batch.length > 0 && (batch.length >= maxOps || bytes + size > maxBytes)) break;
      batch.push(op);
      bytes += size;
    }
    await deps.db.syncOps.bulkPut(batch.map((op) => ({ ...op, status: 'sending' as const })));
    const result = await transport.send({ type: 'push', ops: batch.map(toWire) });
    if (!result.ok) {
      const attempts = Math.max(...batch.map((op) => op.attempts)) + 1;
      await deps.db.syncOps.bulkPut(
        batch.map((op) => ({
          ...op,
          status: 'pending' as const,
          attempts: op.attempts + 1,
          lastError: result.message,
        })),
      );
      if (result.action === 'split' && maxOps > 1) {
        maxOps = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      if (result.action === 'unpaired') {
        await markBroken(deps.db, result, clock());
        return { ...report, skipped: 'broken', error: result.message };
      }
      if (result.action === 'rejected') {
        // The request itself was refused: take out the operations it names (a notice each), keep the rest.
        const named = new Set(
          (result.errors ?? [])
            .map((e) => /^ops\.(\d+)/.exec(e.path)?.[1])
            .filter((n) => n !== undefined)
            .map(Number),
        );
        for (const i of named) {
          const op = batch[i];
          if (op?.seq === undefined) continue;
          await settle(
            deps,
            op,
            { opId: op.opId, status: 'refused', code: 'invalid', message: result.message },
            report,
          );
        }
        if (named.size > 0) continue;
      }
      const retryInMs = backoffMs(attempts, {
        retryAfterMs: result.retryAfterMs,
        random: (deps.random ?? Math.random)(),
      });
      return { ...report, retryInMs, error: result.message };
    }
    if (result.answer.type !== 'push')
      return { ...report, error: 'the team workspace answered a push with something else' };
    const byOp = new Map(result.answer.results.map((r) => [r.opId, r]));
    for (const op of batch) {
      const r = byOp.get(op.opId);
      if (r === undefined) {
        // Not reached this time (the endpoint stopped at its time budget): it goes again.
        await deps.db.syncOps.put({ ...op, status: 'pending' });
        continue;
      }
      await settle(deps, op, r, report);
    }
    report.pushed += batch.length;
  }
}

/**
 * Records one operation's outcome: applied ones leave the queue (and the row learns its team version when nobody
 * else changed it in between); refused or superseded ones leave it with a notice for the person, and the row shows
 * what the team holds.
 */
async function settle(deps: ReplicaDeps, op: PendingOp, result: OpResult, report: SyncReport): Promise<void> {
  const clock = deps.clock ?? Date.now;
  const db = deps.db;
  const singleton = op.kind === 'organisation' || op.kind === 'settings';
  const stored = async (): Promise<Record<string, unknown> | undefined> =>
    singleton
      ? ((await db.meta.get(op.kind as 'organisation' | 'settings')) as Record<string, unknown> | undefined)
      : ((await db.table(op.kind).get(op.id)) as Record<string, unknown> | undefined);
  await db.transaction('rw', [...APPLY_SCOPE, 'syncNotices'], async () => {
    if (op.seq !== undefined) await db.syncOps.delete(op.seq);
    const raw = await stored();
    const body = singleton ? (raw?.value as Record<string, unknown> | undefined) : entityOf(raw);
    const notice = noticeOf(op, result, entityLabel(op.kind, body), clock());
    if (notice) {
      await db.syncNotices.put(notice);
      report.notices++;
    }
    if (result.status === 'applied' || result.status === 'duplicate') report.applied++;
    const current = 'current' in result ? result.current : undefined;
    if (current) {
      // Show the team's values at once (with this person's other waiting changes on top, as a pull would).
      const change: TeamChange = {
        kind: op.kind,
        id: op.id,
        version: current.version,
        deleted: current.deleted,
        changedAt: new Date(clock()).toISOString(),
        ...(current.body && { body: current.body }),
      };
      // Force: the row may already carry this version (its own change was refused, nothing moved on the team).
      if (
        raw !== undefined &&
        (singleton ? ((raw._v as number | undefined) ?? 0) : versionOf(raw)) <= current.version
      ) {
        if (singleton)
          await db.meta.put({ ...(raw as { key: 'organisation' | 'settings'; value: unknown }), _v: 0 });
        else await db.table(op.kind).put({ ...raw, [VERSION_FIELD]: 0 });
      }
      await applyChangesInTransaction(db, [change]);
      return;
    }
    if (result.status === 'applied' || result.status === 'duplicate') {
      // Contiguous: the team's version is exactly the one this change made from the one it was made on, so the
      // row holds it; later waiting changes of the same entity were made on it too.
      if (result.version === op.baseVersion + 1 && raw !== undefined) {
        if (singleton)
          await db.meta.put({
            ...(raw as { key: 'organisation' | 'settings'; value: unknown }),
            _v: result.version,
          });
        else await db.table(op.kind).put({ ...raw, [VERSION_FIELD]: result.version });
        const later = await db.syncOps.where('[kind+id]').equals([op.kind, op.id]).toArray();
        for (const next of later)
          if (next.baseVersion === op.baseVersion)
            await db.syncOps.put({ ...next, baseVersion: result.version });
      }
      return;
    }
    if (result.status === 'refused' && versionOf(raw) === 0 && op.baseVersion === 0 && !singleton) {
      // A new entity the team did not take: it is not in the team workspace, so it leaves this replica too; what the
      // person entered is kept in the notice.
      await db.table(op.kind).delete(op.id);
    }
  });
}

async function pull(deps: ReplicaDeps, transport: TeamTransport, report: SyncReport): Promise<SyncReport> {
  const clock = deps.clock ?? Date.now;
  for (let pages = 0; pages < 10_000; pages++) {
    const feed = await readFeed(deps.db);
    const result = await transport.send({
      type: 'pull',
      ...(feed.cursor && { cursor: feed.cursor }),
      limit: deps.pullLimit ?? 2000,
    });
    if (!result.ok) {
      if (result.action === 'unpaired') {
        await markBroken(deps.db, result, clock());
        return { ...report, skipped: 'broken', error: result.message };
      }
      if (result.action === 'rejected' && feed.cursor) {
        // A cursor the team no longer takes (e.g. after a restore on its side): start over; repeats are harmless.
        await writeFeed(deps.db, {});
        continue;
      }
      return {
        ...report,
        retryInMs: backoffMs(1, {
          retryAfterMs: result.retryAfterMs,
          random: (deps.random ?? Math.random)(),
        }),
        error: result.message,
      };
    }
    const answer = result.answer;
    if (answer.type !== 'pull')
      return { ...report, error: 'the team workspace answered a pull with something else' };
    report.pulledPages++;
    if (answer.idle) return report;
    const applied = await applyChanges(deps.db, answer.changes);
    report.changesReceived += answer.changes.length;
    report.rowsWritten += applied.written + applied.deleted;
    if (answer.member) await updateMember(deps.db, answer.member);
    const next: FeedState = { ...feed, cursor: answer.cursor };
    if (answer.heatCounts && feed.cursor === undefined)
      next.firstSync = {
        heatCounts: answer.heatCounts,
        evidenceTotal: answer.evidenceTotal ?? 0,
        received: 0,
      };
    if (next.firstSync)
      next.firstSync = {
        ...next.firstSync,
        received: next.firstSync.received + answer.changes.filter((c) => c.kind === 'evidence').length,
      };
    if (!answer.more) {
      next.caughtUpAt = clock();
      delete next.firstSync;
    }
    await writeFeed(deps.db, next);
    if (!answer.more) return report;
  }
  return report;
}

async function updateMember(db: CxplanDb, member: TeamMember): Promise<void> {
  const connection = await readConnection(db);
  if (connection && JSON.stringify(connection.member) !== JSON.stringify(member))
    await updateConnection(db, { member });
}

/** The replica's feed state. */
export async function readFeed(db: CxplanDb): Promise<FeedState> {
  return ((await db.meta.get('feed'))?.value as FeedState | undefined) ?? {};
}

async function writeFeed(db: CxplanDb, feed: FeedState): Promise<void> {
  await db.meta.put({ key: 'feed', value: feed });
}

function toWire(op: PendingOp): TeamOp {
  const base = { opId: op.opId, kind: op.kind, id: op.id, baseVersion: op.baseVersion };
  return op.type === 'put' ? { ...base, type: 'put', fields: op.fields ?? {} } : { ...base, type: op.type };
}

/** Records that the team no longer accepts this browser (revoked, unknown device): syncing stops until it reconnects. */
async function markBroken(
  db: CxplanDb,
  result: { code?: string; message: string },
  now: number,
): Promise<void> {
  await updateConnection(db, {
    broken: { code: result.code ?? 'unpaired', message: result.message, at: new Date(now).toISOString() },
  });
}
