import type { TeamKind } from '@cxplan/core';
import type { TeamKvs } from '../team-store/team-kvs';

/** Puts a sync on the Forge queue (`cxplan-sync`), after `delaySeconds`. */
export type EnqueueSync = (body: { attempt: number; reason: string }, delaySeconds: number) => Promise<void>;

/** The kinds the Jira sync mirrors into issues: a change to one of them should reach Jira soon. */
export const JIRA_MIRRORED_KINDS: ReadonlySet<TeamKind> = new Set(['orgGoals', 'deptGoals', 'actions']);

/** KVS key holding until when a requested sync is already waiting on the queue. */
export const SYNC_REQUESTED_KEY = 'cxplan-sync:requested';

/**
 * Seconds a requested sync waits on the queue: a planning session saves many goals and actions in a row, and one
 * sync a little later carries them all (instead of one per save, each reading Jira again).
 */
export const SYNC_REQUEST_DELAY_SECONDS = 15;

/** What asking for a sync did. */
export type SyncRequest = 'queued' | 'already-queued';

/**
 * Asks for a Jira sync soon because the plan changed in the team store (a browser pushed a goal or action): puts one
 * on the Forge queue (the `cxplan-sync` consumer runs it) unless one is already waiting. The hourly scheduled sync
 * remains the safety net, so a request lost to a crash costs an hour, never a change. Two invocations racing here
 * may both queue a sync: harmless, as a sync is idempotent and one at a time (the second finds Jira up to date or
 * the lock held, and is continued).
 */
export async function requestPlanSync(
  kv: TeamKvs,
  enqueue: EnqueueSync,
  now: () => number,
): Promise<SyncRequest> {
  const waiting = await kv.get<{ until?: unknown }>(SYNC_REQUESTED_KEY);
  if (typeof waiting?.until === 'number' && waiting.until > now()) return 'already-queued';
  // Marked until the queued sync starts: a change made after that is not in it, so it asks again.
  await kv.set(SYNC_REQUESTED_KEY, { until: now() + SYNC_REQUEST_DELAY_SECONDS * 1000 });
  try {
    await enqueue({ attempt: 0, reason: 'plan changed' }, SYNC_REQUEST_DELAY_SECONDS);
  } catch (error) {
    await kv.delete(SYNC_REQUESTED_KEY); // nothing waits: the next change asks again
    throw error;
  }
  return 'queued';
}

/**
 * Called by a sync as it starts reading the plan: the sync that was asked for is running, so a change made from now
 * on is not in it and must ask for another.
 */
export async function syncStarted(kv: TeamKvs): Promise<void> {
  await kv.delete(SYNC_REQUESTED_KEY);
}
