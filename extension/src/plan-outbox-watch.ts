import { Dexie } from 'dexie';
import type { Browser } from 'wxt/browser';
import { DB_NAME } from './storage/db';

/** A periodic alarm that lets the background notice outbox entries queued while it was asleep. */
export const OUTBOX_WATCH_ALARM = 'cxplan-outbox-watch';

/** How often the watch alarm fires (Chrome's minimum period is 30 s; a minute is plenty for planning work). */
export const OUTBOX_WATCH_MINUTES = 1;

/** The part of `browser.alarms` the watcher needs. */
export type WatchAlarmsApi = Pick<typeof Browser.alarms, 'create'> & {
  onAlarm: Pick<typeof Browser.alarms.onAlarm, 'addListener' | 'removeListener'>;
};

/**
 * Wakes the outbox when another extension page (the dashboard, the side panel) queues something: goals and
 * actions are queued by the storage service wherever they are saved, not in the background. While the
 * background runs, Dexie's cross-context change broadcast tells it at once (debounced, so a burst of saves
 * arms the alarm once); a stopped service worker is not woken by that broadcast, so a periodic alarm covers it.
 * Returns a function that stops watching.
 */
export function watchOutboxWrites(
  alarms: WatchAlarmsApi,
  onChange: () => Promise<unknown>,
  debounceMs = 500,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = (): void => {
    onChange().catch((e: unknown) => console.warn('cxplan: could not schedule the outbox', e));
  };
  const prefix = `idb://${DB_NAME}/outbox/`;
  const onMutated = (parts: Record<string, unknown>): void => {
    if (!Object.keys(parts).some((k) => k.startsWith(prefix))) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };
  const onAlarm = (alarm: { name: string }): void => {
    if (alarm.name === OUTBOX_WATCH_ALARM) fire();
  };
  Dexie.on('storagemutated', onMutated);
  alarms.onAlarm.addListener(onAlarm);
  void alarms.create(OUTBOX_WATCH_ALARM, { periodInMinutes: OUTBOX_WATCH_MINUTES });
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    Dexie.on('storagemutated').unsubscribe(onMutated);
    alarms.onAlarm.removeListener(onAlarm);
  };
}
