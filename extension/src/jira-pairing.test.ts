import { describe, expect, it } from 'vitest';
import {
  PAIRING_KEY,
  type PairingArea,
  type PermissionsApi,
  pairWithJira,
  readPairing,
  unpairJira,
} from './jira-pairing';

class MemoryArea implements PairingArea {
  data = new Map<string, unknown>();
  async get(key: string): Promise<Record<string, unknown>> {
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

function permissions(grant: boolean): PermissionsApi & { requested: string[][]; removed: string[][] } {
  const requested: string[][] = [];
  const removed: string[][] = [];
  return {
    requested,
    removed,
    async request(p) {
      requested.push(p.origins);
      return grant;
    },
    async remove(p) {
      removed.push(p.origins);
      return true;
    },
  };
}

const secret = `cxp1.k_12345678.${'A'.repeat(43)}`;
const triggerUrl = 'https://abc.hello.atlassian-dev.net/x1/trigger';

describe('pairWithJira', () => {
  it('asks for exactly the trigger origin and stores the pairing', async () => {
    const local = new MemoryArea();
    const perms = permissions(true);
    const r = await pairWithJira(
      { triggerUrl, secret: ` ${secret} ` },
      { local, permissions: perms, now: 0 },
    );
    expect(r.ok).toBe(true);
    expect(perms.requested).toEqual([['https://abc.hello.atlassian-dev.net/*']]);
    expect(await readPairing(local)).toMatchObject({
      triggerUrl,
      secret,
      keyId: 'k_12345678',
      clockOffsetMs: 0,
    });
  });

  it('stores nothing and says why when the permission is refused', async () => {
    const local = new MemoryArea();
    const r = await pairWithJira({ triggerUrl, secret }, { local, permissions: permissions(false) });
    expect(!r.ok && r.errors[0]?.path).toBe('permission');
    expect(local.data.has(PAIRING_KEY)).toBe(false);
  });

  it('does not ask for any permission when the input is invalid', async () => {
    const perms = permissions(true);
    const r = await pairWithJira(
      { triggerUrl: 'http://jira.example/x', secret: 'nope' },
      { local: new MemoryArea(), permissions: perms },
    );
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(['triggerUrl', 'secret']);
    expect(perms.requested).toEqual([]);
  });

  it('unpairing forgets the secret and gives the permission back', async () => {
    const local = new MemoryArea();
    const perms = permissions(true);
    await pairWithJira({ triggerUrl, secret }, { local, permissions: perms });
    await unpairJira({ local, permissions: perms });
    expect(await readPairing(local)).toBeUndefined();
    expect(perms.removed).toEqual([['https://abc.hello.atlassian-dev.net/*']]);
  });

  it("Firefox: asks for the optional data-collection consent in the same prompt as the trigger's origin", async () => {
    const asked: unknown[] = [];
    const perms: PermissionsApi = {
      async request(p) {
        asked.push(p);
        return true;
      },
      remove: async () => true,
    };
    const dataCollection = ['websiteContent', 'browsingActivity'];
    await pairWithJira(
      { triggerUrl, secret },
      { local: new MemoryArea(), permissions: perms, dataCollection },
    );
    await pairWithJira({ triggerUrl, secret }, { local: new MemoryArea(), permissions: perms });
    expect(asked).toEqual([
      { origins: ['https://abc.hello.atlassian-dev.net/*'], data_collection: dataCollection },
      { origins: ['https://abc.hello.atlassian-dev.net/*'] },
    ]);
  });

  it('Firefox before 140 (no data consent key): falls back to asking for the origin alone', async () => {
    const asked: unknown[] = [];
    const perms: PermissionsApi = {
      async request(p) {
        asked.push(p);
        if (p.data_collection) throw new Error('Type error for parameter permissions: Unexpected property');
        return true;
      },
      remove: async () => true,
    };
    const r = await pairWithJira(
      { triggerUrl, secret },
      { local: new MemoryArea(), permissions: perms, dataCollection: ['websiteContent'] },
    );
    expect(r.ok).toBe(true);
    expect(asked).toHaveLength(2);
  });
});
