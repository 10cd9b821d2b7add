import { afterEach, describe, expect, it, vi } from 'vitest';
import { CxplanDb } from '../storage/db';
import { startTeamSync } from './sync-scheduler';

describe('the background team sync', () => {
  const stops: Array<() => void> = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    vi.restoreAllMocks();
  });

  it('a consent check that fails skips the sync with a warning, never an unhandled rejection', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const transport = vi.fn();
    const alarms = {
      create: vi.fn(async () => undefined),
      onAlarm: { addListener: vi.fn(), removeListener: vi.fn() },
    };
    stops.push(
      startTeamSync({
        deps: { db: new CxplanDb(`scheduler-${crypto.randomUUID()}`), transport },
        alarms: alarms as never,
        allowed: async () => {
          throw new Error('getManifest not implemented');
        },
      }),
    );
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    expect(transport).not.toHaveBeenCalled();
    expect(String(warn.mock.calls[0]?.[0])).toContain('not syncing now');
  });
});
