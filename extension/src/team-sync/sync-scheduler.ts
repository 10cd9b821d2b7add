import { Dexie } from 'dexie';
import type { Browser } from 'wxt/browser';
import { type CxplanDb, DB_NAME } from '../storage/db';
import { type TeamConnection, updateConnection } from '../storage/team-link';
import { readDeviceKeys } from './device-key';
import { type ReplicaDeps, type SyncReport, syncWithTeam } from './replica';
import { WebTriggerTransport } from './team-transport';

/** The alarm that runs the team sync (periodically, and once when a retry is due). */
export const TEAM_SYNC_ALARM = 'cxplan-team-sync';

/**
 * How often an idle replica asks the team for changes. An idle pull costs the team one KVS read and no SQL
 * (feed-head.ts), so every browser polling each minute fits the installation's budget.
 */
export const POLL_MINUTES = 1;

/** The part of `browser.alarms` the scheduler needs. */
export type SyncAlarmsApi = Pick<typeof Browser.alarms, 'create'> & {
  onAlarm: Pick<typeof Browser.alarms.onAlarm, 'addListener' | 'removeListener'>;
};

/** Builds the transport for a stored connection: the web trigger, signed with this browser's device key. */
export function transportFor(db: CxplanDb, fetchImpl?: typeof fetch): ReplicaDeps['transport'] {
  return async (connection: TeamConnection) => {
    const keys = await readDeviceKeys(db);
    if (!keys) throw new Error('This browser lost its device key: disconnect and connect it again.');
    return new WebTriggerTransport({
      url: connection.triggerUrl,
      keys,
      deviceId: connection.deviceId,
      clockOffsetMs: connection.clockOffsetMs,
      onClockOffset: (offset) => updateConnection(db, { clockOffsetMs: Math.round(offset) }),
      ...(fetchImpl && { fetch: fetchImpl }),
    });
  };
}

/**
 * Runs the replica in the background: on start, every {@link POLL_MINUTES} minute(s) (an alarm, which also wakes a
 * stopped service worker), soon after this browser records a change anywhere (Dexie's cross-context change
 * broadcast reaches the background while it runs; debounced so a burst of edits is one push), and when a retry is
 * due. `allowed` lets the Firefox data-collection consent stop sending. Returns a function that stops it.
 */
export function startTeamSync(options: {
  deps: ReplicaDeps;
  alarms: SyncAlarmsApi;
  allowed?: () => Promise<boolean>;
  debounceMs?: number;
  onReport?: (report: SyncReport) => void;
}): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    // Runs from timers and alarms, where nothing awaits it: whatever fails is reported here, never thrown.
    const permitted = await (options.allowed ?? (async () => true))().catch((error: unknown) => {
      console.warn('cxplan: could not read the data-collection consent; not syncing now', error);
      return false;
    });
    if (!permitted) return;
    const report = await syncWithTeam(options.deps).catch((error: unknown): SyncReport => {
      console.warn('cxplan: team sync failed; changes stay waiting', error);
      return {
        pushed: 0,
        applied: 0,
        notices: 0,
        pulledPages: 0,
        changesReceived: 0,
        rowsWritten: 0,
        retryInMs: 60_000,
        error: String(error),
      };
    });
    options.onReport?.(report);
    if (report.retryInMs !== undefined)
      await Promise.resolve(
        options.alarms.create(`${TEAM_SYNC_ALARM}-retry`, { when: Date.now() + report.retryInMs }),
      ).catch((error: unknown) => console.warn('cxplan: could not schedule the sync retry', error));
  };
  const soon = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 1_000);
  };
  const prefix = `idb://${DB_NAME}/syncOps/`;
  const onMutated = (parts: Record<string, unknown>): void => {
    if (Object.keys(parts).some((k) => k.startsWith(prefix))) soon();
  };
  const onAlarm = (alarm: { name: string }): void => {
    if (alarm.name.startsWith(TEAM_SYNC_ALARM)) void run();
  };
  Dexie.on('storagemutated', onMutated);
  options.alarms.onAlarm.addListener(onAlarm);
  void options.alarms.create(TEAM_SYNC_ALARM, { periodInMinutes: POLL_MINUTES });
  void run();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    Dexie.on('storagemutated').unsubscribe(onMutated);
    options.alarms.onAlarm.removeListener(onAlarm);
  };
}
