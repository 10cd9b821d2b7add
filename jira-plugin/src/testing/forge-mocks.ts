import type * as ForgeApi from '@forge/api';
import type { Actor, FakeJira } from './fake-jira';

let current: FakeJira | undefined;
let currentUser = 'user-1';

/** Points the mocked `requestJira` at this fake Jira (and, for `asUser`, at this account). */
export function useFakeJira(fake: FakeJira, accountId = 'user-1'): void {
  current = fake;
  currentUser = accountId;
}

type ForgeApiModule = typeof ForgeApi;

/**
 * The real `@forge/api` with only `requestJira` replaced: requests go to the fake Jira, `route` stays the real
 * tagged template (so path escaping is Forge's own), and a plain string instead of a route is refused as Forge does.
 */
export function forgeApiOverFake(real: ForgeApiModule): ForgeApiModule {
  const RouteClass = (real.route`/` as object).constructor;
  const requestAs =
    (actor: () => Actor) =>
    async (path: unknown, init: { method?: string; body?: unknown } = {}): Promise<Response> => {
      if (!(path instanceof RouteClass))
        throw new Error("requestJira needs a route built with @forge/api's `route`");
      if (!current) throw new Error('no fake Jira: call useFakeJira() in the test');
      if (init.body !== undefined && typeof init.body !== 'string')
        throw new Error('the app sends JSON strings only');
      const response = current.handle({
        actor: actor(),
        method: init.method ?? 'GET',
        path: (path as { value: string }).value,
        body: init.body === undefined ? undefined : JSON.parse(init.body),
      });
      const hasBody = response.body !== undefined && response.status !== 204;
      return new Response(hasBody ? JSON.stringify(response.body) : null, {
        status: response.status,
        headers: { ...(hasBody && { 'Content-Type': 'application/json' }), ...response.headers },
      });
    };
  const asApp = (): ReturnType<ForgeApiModule['asApp']> =>
    ({ ...real.asApp(), requestJira: requestAs(() => ({ kind: 'app' })) }) as ReturnType<
      ForgeApiModule['asApp']
    >;
  const asUser = (accountId?: string): ReturnType<ForgeApiModule['asUser']> =>
    ({
      ...real.asUser(accountId),
      requestJira: requestAs(() => ({ kind: 'user', accountId: accountId ?? currentUser })),
    }) as ReturnType<ForgeApiModule['asUser']>;
  const requestJira = requestAs(() => ({
    kind: 'user',
    accountId: currentUser,
  })) as ForgeApiModule['requestJira'];
  return { ...real, asApp, asUser, requestJira, default: { ...real.default, asApp, asUser, requestJira } };
}

/** `@forge/kvs` over a Map: get, set and delete, values cloned like the real store's JSON round trip. */
export function kvsOverMap(store = new Map<string, unknown>()): Record<string, unknown> {
  const kvs = {
    get: async (key: string): Promise<unknown> =>
      store.has(key) ? structuredClone(store.get(key)) : undefined,
    set: async (key: string, value: unknown): Promise<void> => {
      store.set(key, JSON.parse(JSON.stringify(value)));
    },
    delete: async (key: string): Promise<void> => {
      store.delete(key);
    },
  };
  return { kvs, default: kvs, store };
}
