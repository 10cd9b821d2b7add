import type * as ForgeApi from '@forge/api';
import type { Actor, FakeJira } from './fake-jira';
import { MemoryKvs } from './memory-kvs';

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
  const requestAs =
    (actor: () => Actor) =>
    (path: unknown, init?: { method?: string; body?: unknown }): Promise<Response> => {
      if (!current) throw new Error('no fake Jira: call useFakeJira() in the test');
      return respondFromFake(current, real, actor(), path, init);
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

/**
 * Answers one `requestJira` call from the fake: the path must be a real `route` (as Forge demands), bodies are
 * JSON strings, and the answer is a fetch `Response` like Forge's.
 */
export async function respondFromFake(
  fake: FakeJira,
  real: Pick<ForgeApiModule, 'route'>,
  actor: Actor,
  path: unknown,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  const RouteClass = (real.route`/` as object).constructor;
  if (!(path instanceof RouteClass))
    throw new Error("requestJira needs a route built with @forge/api's `route`");
  if (init.body !== undefined && typeof init.body !== 'string')
    throw new Error('the app sends JSON strings only');
  const response = await fake.handleAsync({
    actor,
    method: init.method ?? 'GET',
    path: (path as { value: string }).value,
    body: init.body === undefined ? undefined : JSON.parse(init.body),
  });
  const hasBody = response.body !== undefined && response.status !== 204;
  return new Response(hasBody ? JSON.stringify(response.body) : null, {
    status: response.status,
    headers: { ...(hasBody && { 'Content-Type': 'application/json' }), ...response.headers },
  });
}

/**
 * The `@forge/kvs` module for `vi.mock('@forge/kvs', …)`: its `kvs` (default export too) is {@link sharedKvs}, an
 * in-memory KVS with Forge's semantics (TTL, FAIL_IF_EXISTS, secret storage, ordered key queries). Production
 * handlers imported by a test then use it, and the test's team store shares it (`teamFixture({ kv: sharedKvs })`).
 */
export function kvsModule(): { kvs: MemoryKvs; default: MemoryKvs } {
  return { kvs: sharedKvs, default: sharedKvs };
}

/** The one in-memory KVS behind the mocked `@forge/kvs` in a test file. */
export const sharedKvs = new MemoryKvs();
