import { describe, expect, it, vi } from 'vitest';
import { keepStoragePersistent } from './persistent-storage';

describe('keepStoragePersistent', () => {
  it('given storage that is already persistent, when asked, then it answers true without asking again', async () => {
    const persist = vi.fn(async () => true);
    expect(await keepStoragePersistent({ persisted: async () => true, persist })).toBe(true);
    expect(persist).not.toHaveBeenCalled();
  });

  it('given best-effort storage (Firefox before the grant), when asked, then it asks for persistence and answers the grant', async () => {
    const persist = vi.fn(async () => true);
    expect(await keepStoragePersistent({ persisted: async () => false, persist })).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
    expect(await keepStoragePersistent({ persisted: async () => false, persist: async () => false })).toBe(
      false,
    );
  });

  it('given a service worker’s storage without persist() (Chrome), or none at all, when asked, then it answers false', async () => {
    expect(await keepStoragePersistent({ persisted: async () => false })).toBe(false);
    expect(await keepStoragePersistent(undefined)).toBe(false);
  });

  it('given a browser that refuses with an error, when asked, then it answers false instead of failing the start', async () => {
    const refused = async (): Promise<boolean> => {
      throw new DOMException('not allowed', 'NotAllowedError');
    };
    expect(await keepStoragePersistent({ persisted: async () => false, persist: refused })).toBe(false);
  });
});
