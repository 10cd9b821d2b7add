import type { PushEvent } from '@forge/events';

/** One push to a Forge queue, as the app made it. */
export interface QueuedEvent {
  queue: string;
  body: Record<string, unknown>;
  delayInSeconds: number | undefined;
}

/** What the app pushed to its Forge queues and the test has not run yet (oldest first). */
export const queued: QueuedEvent[] = [];

/**
 * `@forge/events`'s `Queue` for the simulated site: a push is recorded with its body and delay, and the test runs
 * the queue's consumer function with it as Forge would once the delay has passed. Forge's push limits (at most 50
 * events, a body that is an object) are enforced so a push Forge would refuse fails here too.
 */
export class QueueDouble {
  readonly key: string;

  constructor({ key }: { key: string }) {
    this.key = key;
  }

  async push(events: PushEvent | PushEvent[]): Promise<{ jobId: string }> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length > 50) throw new Error('TooManyEventsError: at most 50 events per push');
    for (const event of list) {
      if (typeof event.body !== 'object' || event.body === null || Array.isArray(event.body))
        throw new Error('the event body must be an object');
      if ((event.delayInSeconds ?? 0) > 900) throw new Error('delayInSeconds is at most 900');
      queued.push({ queue: this.key, body: event.body, delayInSeconds: event.delayInSeconds });
    }
    return { jobId: `job-${queued.length}` };
  }
}
