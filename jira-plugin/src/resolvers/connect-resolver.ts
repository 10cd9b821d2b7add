import { actorFor, type DeviceInfo, type Person } from '@cxplan/core';
import { webTrigger } from '@forge/api';
import kvs from '@forge/kvs';
import Resolver from '@forge/resolver';
import { sql } from '@forge/sql';
import { createPairingCode, type DeviceDeps, listDevices, revokeDevice } from '../team-store/devices';
import { readAllStates } from '../team-store/entity-rows';
import type { Sql } from '../team-store/sql';
import type { TeamKvs } from '../team-store/team-kvs';
import { openTeamStore } from '../team-store/team-store';
import { type Answer, answer } from './answer';

/** The manifest key of the team sync web trigger. */
export const TEAM_TRIGGER_KEY = 'cxplan-team';

/** What the "Connect a browser" page shows. */
export interface ConnectState {
  me: { personId: string; name: string; admin: boolean };
  /** This person's devices; an admin sees everyone's. */
  devices: Array<DeviceInfo & { personName: string }>;
  /** Undefined when Forge could not give the web trigger's URL. */
  triggerUrl: string | undefined;
}

/** A new pairing code, and the whole line to paste into the extension (the web trigger's URL and the code). */
export interface NewCode {
  code: string;
  expiresAt: string;
  connection: string;
}

/** What the resolver needs. */
export interface TeamResolverDeps {
  sql: Sql;
  kv: TeamKvs;
  now: () => number;
  triggerUrl: () => Promise<string>;
}

/**
 * The resolver of the "Connect a browser" page. Forge passes the signed-in account as `context.accountId`: this is
 * the one place identity enters the team workspace, so a pairing code is always made for the person looking at the
 * page, never for an account named in a payload.
 */
export function teamResolver(makeDeps: () => TeamResolverDeps): Resolver {
  const resolver = new Resolver();
  const who = async (deps: TeamResolverDeps, accountId: string | undefined) => {
    if (!accountId) throw new Error('Jira did not say who you are; open this page signed in.');
    await openTeamStore({ sql: deps.sql, kv: deps.kv, now: deps.now, newId: () => crypto.randomUUID() });
    const people = [...(await readAllStates(deps.sql, 'people')).values()].map(
      (s) => s.body as unknown as Person,
    );
    return { actor: actorFor(accountId, people), people };
  };
  const deviceDeps = (deps: TeamResolverDeps): DeviceDeps => ({ sql: deps.sql, kv: deps.kv, now: deps.now });
  const state = async (deps: TeamResolverDeps, accountId: string | undefined): Promise<ConnectState> => {
    const { actor, people } = await who(deps, accountId);
    const devices = await listDevices(deviceDeps(deps), actor.admin ? undefined : actor.personId);
    const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
    return {
      me: { personId: actor.personId, name: actor.name, admin: actor.admin },
      devices: devices.map((d) => ({ ...d, personName: nameOf(d.personId) })),
      triggerUrl: await deps.triggerUrl().catch(() => undefined),
    };
  };
  resolver.define(
    'getConnectState',
    ({ context }): Promise<Answer<ConnectState>> =>
      answer(() => state(makeDeps(), context.accountId as string | undefined)),
  );
  resolver.define(
    'makePairingCode',
    ({ context }): Promise<Answer<NewCode>> =>
      answer(async () => {
        const deps = makeDeps();
        const { actor } = await who(deps, context.accountId as string | undefined);
        const made = await createPairingCode(deviceDeps(deps), actor.personId);
        if ('refused' in made) throw new Error(made.refused);
        const url = await deps.triggerUrl();
        return { ...made, connection: `${url}#${made.code}` };
      }),
  );
  resolver.define(
    'revokeDevice',
    ({ payload, context }): Promise<Answer<ConnectState>> =>
      answer(async () => {
        const deps = makeDeps();
        const { actor } = await who(deps, context.accountId as string | undefined);
        const deviceId = String((payload as { deviceId?: unknown }).deviceId ?? '');
        const outcome = await revokeDevice(deviceDeps(deps), deviceId, actor);
        if (!outcome.ok) throw new Error(outcome.message);
        return state(deps, actor.personId);
      }),
  );
  return resolver;
}

/** Production wiring: Forge SQL, KVS and the web trigger's URL. */
export function teamResolverDeps(): TeamResolverDeps {
  return { sql, kv: kvs, now: Date.now, triggerUrl: () => webTrigger.getUrl(TEAM_TRIGGER_KEY) };
}

/** The `function` module behind the "Connect a browser" page. */
export const handler = teamResolver(teamResolverDeps).getDefinitions();
