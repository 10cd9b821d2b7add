import type { TeamKvs } from './team-kvs';

/**
 * The feed's head, kept in KVS so an idle pull costs no SQL at all (the installation's whole SQL budget is 62.5 s
 * of query time a minute: thousands of browsers polling every minute must not spend it on "nothing new").
 *
 * Every writer to the store announces, **before its first SQL write**, until when it may still be writing
 * (`writingUntil`: its own deadline plus the 10 s a DML statement may run). A pull that ran SQL hands the browser a
 * cursor stamped with when it was served. A later pull with that cursor may answer "nothing new" without SQL only
 * if every announced write had finished before that earlier pull began: then the earlier pull saw all of it, and
 * any write since would have moved the head. The head is written with a plain set (KVS has no atomic max), so two
 * writers announcing at once may lose the earlier-ending announcement; both end within one write budget of each
 * other, which {@link IDLE_MARGIN_MS} covers.
 */

/** KVS key of the head. */
export const FEED_HEAD_KEY = 'cxplan-team:feed-head';

/** Slack between the head and a cursor's serving time (clock differences between invocations, the race above). */
export const IDLE_MARGIN_MS = 15_000;

/** How long a DML statement may run in Forge SQL (after which Forge cancels it). */
export const DML_LIMIT_MS = 10_000;

interface Head {
  writingUntil: number;
}

/** Announces that this invocation may write to the store until `deadlineMs` (call before the first write). */
export async function announceWrites(
  kv: Pick<TeamKvs, 'set'>,
  nowMs: number,
  deadlineMs: number,
): Promise<void> {
  const head: Head = { writingUntil: Math.max(nowMs, deadlineMs) + DML_LIMIT_MS };
  await kv.set(FEED_HEAD_KEY, head);
}

/**
 * True when nothing can have changed since a pull served at `servedAtMs` that was complete: every announced write
 * ended (with margin) before that pull began. Unknown head (a fresh installation, a KVS reset): not idle.
 */
export async function nothingNewSince(kv: Pick<TeamKvs, 'get'>, servedAtMs: number): Promise<boolean> {
  const head = await kv.get<Head>(FEED_HEAD_KEY);
  if (head === undefined || typeof head.writingUntil !== 'number') return false;
  return head.writingUntil + IDLE_MARGIN_MS < servedAtMs;
}
