import { TEAM_PROTOCOL_VERSION, type TeamAnswer } from '@cxplan/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestDevice } from '../testing/device-client';
import {
  clip,
  createOp,
  putOp,
  seedOrganisation,
  type TeamFixture,
  teamFixture,
} from '../testing/team-fixture';
import { createPairingCode } from './devices';
import { readStates } from './entity-rows';
import { createTeamEndpoint, type TeamRequestIn } from './team-endpoint';

const V = TEAM_PROTOCOL_VERSION;

describe('the team endpoint: pairing, per-device identity, and bad input at every boundary', () => {
  let team: TeamFixture;
  let endpoint: ReturnType<typeof createTeamEndpoint>;
  const call = async (req: TeamRequestIn) => {
    const res = await endpoint(req);
    return {
      status: res.statusCode,
      body: JSON.parse(res.body ?? '{}') as TeamAnswer & { code?: string; message?: string },
    };
  };
  /** A device paired for a person through a code made "in Jira". */
  const paired = async (personId: string): Promise<TestDevice> => {
    const device = await TestDevice.create();
    const made = await createPairingCode({ sql: team.sql, kv: team.kv, now: Date.now }, personId);
    if (!('code' in made)) throw new Error(made.refused);
    const { status, body } = await call(await device.pairRequest(made.code));
    expect(status).toBe(200);
    if (body.ok && body.type === 'pair') device.deviceId = body.deviceId;
    return device;
  };

  beforeEach(async () => {
    team = await teamFixture();
    await seedOrganisation(team);
    endpoint = createTeamEndpoint({ sql: team.sql, kv: team.kv, workspaceName: async () => 'Acme' });
  });
  afterEach(() => team.close());

  it('pairs a browser with a one-time code and knows its person; the code cannot be used twice', async () => {
    const device = await TestDevice.create();
    const made = await createPairingCode({ sql: team.sql, kv: team.kv, now: Date.now }, 'sam');
    if (!('code' in made)) throw new Error('no code');
    expect(made.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const first = await call(await device.pairRequest(made.code.toLowerCase()));
    expect(first.body).toMatchObject({
      ok: true,
      type: 'pair',
      member: { personId: 'sam', name: 'Sam Staff', role: 'staff' },
      workspaceName: 'Acme',
    });
    // The same browser retrying after a lost answer gets the same device …
    expect((await call(await device.pairRequest(made.code))).body).toMatchObject({
      ok: true,
      deviceId: (first.body as { deviceId: string }).deviceId,
    });
    // … another browser with the same code does not.
    const other = await TestDevice.create();
    expect(await call(await other.pairRequest(made.code))).toMatchObject({
      status: 403,
      body: { code: 'bad-code' },
    });
  });

  it('sets who captured a clip from the device, never from the body', async () => {
    const sam = await paired('sam');
    const forged = clip(1, {
      origin: {
        capturedBy: 'Dan Head',
        capturedById: 'dan',
        capturedAt: '2026-11-30T10:00:00.000Z',
        via: 'clip',
      },
    });
    const res = await call(
      await sam.request({ version: V, type: 'push', ops: [createOp('evidence', forged)] }),
    );
    expect(res.body).toMatchObject({ ok: true, results: [{ status: 'applied' }] });
    const stored = (await readStates(team.sql, 'evidence', ['clip-1'])).get('clip-1');
    expect(stored?.body.origin).toMatchObject({ capturedBy: 'Sam Staff', capturedById: 'sam' });
  });

  it('pulls the team workspace; a staff change to an organisation goal is refused with the reason', async () => {
    const dan = await paired('dan');
    const sam = await paired('sam');
    await team.push('lee', [
      createOp('orgGoals', {
        id: 'og1',
        cycleId: 'c1',
        title: 'One call',
        metric: {
          name: 'FCR',
          unit: '%',
          direction: 'increase',
          baseline: 1,
          target: 2,
          due: '2027-01-01',
          readings: [],
        },
        evidenceIds: ['x'],
      }),
    ]);
    const pulled = await call(await dan.request({ version: V, type: 'pull' }));
    expect(pulled.body).toMatchObject({
      ok: true,
      type: 'pull',
      member: { personId: 'dan', role: 'manager' },
    });
    const refused = await call(
      await sam.request({ version: V, type: 'push', ops: [putOp('orgGoals', 'og1', 1, { title: 'Mine' })] }),
    );
    // The refused change comes back with the goal as the team holds it, so the author's replica shows that at once.
    expect(refused.body).toMatchObject({
      results: [{ current: { version: 1, body: { title: 'One call' } } }],
    });
    expect(refused.body).toMatchObject({
      ok: true,
      results: [{ status: 'refused', code: 'forbidden', message: expect.stringMatching(/Only a leader/) }],
    });
  });

  it('tells the wiring which kinds a push changed (only applied ones), and a failing follow-up never fails the push', async () => {
    const seen: string[][] = [];
    endpoint = createTeamEndpoint({
      sql: team.sql,
      kv: team.kv,
      onPushed: async (kinds) => {
        seen.push([...kinds].sort());
        throw new Error('the queue is down');
      },
    });
    const sam = await paired('sam');
    const pushed = await call(
      await sam.request({ version: V, type: 'push', ops: [createOp('evidence', clip(7))] }),
    );
    expect(pushed.body).toMatchObject({ ok: true, results: [{ status: 'applied' }] });
    // Sam may not change an organisation goal: nothing applied, nothing to follow up.
    await call(
      await sam.request({ version: V, type: 'push', ops: [putOp('orgGoals', 'none', 1, { title: 'x' })] }),
    );
    const dan = await paired('dan');
    await call(
      await dan.request({
        version: V,
        type: 'push',
        ops: [
          createOp('cycles', {
            id: 'c9',
            name: 'FY',
            start: '2027-01-01',
            end: '2027-12-31',
            status: 'active',
          }),
        ],
      }),
    );
    expect(seen).toEqual([['evidence']]);
  });

  describe('refuses, changing nothing', () => {
    let sam: TestDevice;
    const push = () => ({ version: V, type: 'push', ops: [createOp('evidence', clip(7))] });
    beforeEach(async () => {
      sam = await paired('sam');
    });
    const nothingStored = async () =>
      expect((await readStates(team.sql, 'evidence', ['clip-7'])).size).toBe(0);

    it('a request signed by another key (forged)', async () => {
      const mallory = await TestDevice.create();
      const res = await call(await mallory.request(push(), { deviceId: sam.deviceId as string }));
      expect(res).toMatchObject({ status: 401, body: { code: 'bad-signature' } });
      await nothingStored();
    });
    it('a body altered after signing', async () => {
      const req = await sam.request(push());
      const res = await call({ ...req, body: (req.body as string).replace('clip-7', 'clip-8') });
      expect(res).toMatchObject({ status: 401, body: { code: 'bad-signature' } });
    });
    it('a replayed push (same nonce)', async () => {
      const req = await sam.request(push());
      expect((await call(req)).status).toBe(200);
      expect(await call(req)).toMatchObject({ status: 409, body: { code: 'replayed-nonce' } });
    });
    it('a stale timestamp', async () => {
      const res = await call(await sam.request(push(), { timestampMs: Date.now() - 10 * 60_000 }));
      expect(res).toMatchObject({ status: 401, body: { code: 'stale-timestamp' } });
      await nothingStored();
    });
    it('an oversized body', async () => {
      const res = await call(
        await sam.request(undefined, {
          bodyText: JSON.stringify({ version: V, type: 'push', ops: [], pad: 'x'.repeat(3 * 1024 * 1024) }),
        }),
      );
      expect(res).toMatchObject({ status: 413, body: { code: 'too-large' } });
    });
    it('malformed JSON and malformed operations, naming the field', async () => {
      expect(await call(await sam.request(undefined, { bodyText: '{"version":1,' }))).toMatchObject({
        status: 400,
        body: { code: 'invalid' },
      });
      const bad = await call(
        await sam.request({
          version: V,
          type: 'push',
          ops: [{ opId: 'x', kind: 'nope', id: 'a', baseVersion: 0, type: 'put', fields: {} }],
        }),
      );
      expect(bad).toMatchObject({
        status: 400,
        body: { code: 'invalid', message: expect.stringMatching(/ops\.0\.kind/) },
      });
      await nothingStored();
    });
    it('a wrong protocol version', async () => {
      expect(await call(await sam.request({ ...push(), version: 99 }))).toMatchObject({
        status: 400,
        body: { code: 'wrong-version' },
      });
      await nothingStored();
    });
    it('an unknown device', async () => {
      const res = await call(await sam.request(push(), { deviceId: 'AAAAAAAAAAAAAAAAAAAAAA' }));
      expect(res).toMatchObject({ status: 401, body: { code: 'unknown-device' } });
    });
    it('a revoked device, at once, with a message that says nothing is lost', async () => {
      const revoke = await call(await sam.request({ version: V, type: 'devices', revoke: sam.deviceId }));
      expect(revoke.body).toMatchObject({
        ok: true,
        devices: [{ deviceId: sam.deviceId, revokedAt: expect.any(String) }],
      });
      const res = await call(await sam.request(push()));
      expect(res).toMatchObject({
        status: 401,
        body: { code: 'revoked', message: expect.stringMatching(/Nothing on it is lost/) },
      });
      await nothingStored();
    });
    it("someone else's device cannot be revoked by staff", async () => {
      const dan = await paired('dan');
      const res = await call(await sam.request({ version: V, type: 'devices', revoke: dan.deviceId }));
      expect(res).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/owner or an admin/) },
      });
    });
    it('the retired shared-secret signature, with a reconnect message', async () => {
      const req = await sam.request(push());
      const res = await call({ ...req, headers: { ...req.headers, 'x-cxplan-key-id': ['old'] } });
      expect(res).toMatchObject({
        status: 401,
        body: { code: 'reconnect', message: expect.stringMatching(/Connect a browser/) },
      });
    });
    it('a pairing request signed by a key other than the one it registers', async () => {
      const made = await createPairingCode({ sql: team.sql, kv: team.kv, now: Date.now }, 'sam');
      if (!('code' in made)) throw new Error('no code');
      const a = await TestDevice.create();
      const b = await TestDevice.create();
      const req = await a.request({
        version: V,
        type: 'pair',
        code: made.code,
        publicKey: b.publicKey,
        deviceName: 'x',
      });
      expect(await call(req)).toMatchObject({ status: 401, body: { code: 'bad-signature' } });
    });
  });
});
