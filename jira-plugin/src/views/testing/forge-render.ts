import type { ReactElement } from 'react';

/** A node of the tree `@forge/react`'s reconciler sends over the bridge (its `ForgeDoc`). */
export interface ForgeNode {
  type: string;
  props: Record<string, unknown>;
  children: ForgeNode[];
  key: string;
}

/** A resolver's definitions as `@forge/resolver`'s `getDefinitions()` returns them. */
export type ResolverDefinitions = (
  request: { call: { functionKey: string; payload?: unknown }; context: Record<string, unknown> },
  backend: { principal?: { accountId: string } },
) => Promise<unknown>;

/** What the host (Jira) would answer to the app's bridge calls. */
export interface BridgeHost {
  resolver: ResolverDefinitions;
  /** `view.getContext()`'s answer: the product context (issue, project, account). */
  context: Record<string, unknown>;
  accountId: string;
}

type BridgeCall = (cmd: string, data: unknown) => Promise<unknown>;
interface BridgeGlobals {
  __bridge?: { callBridge: BridgeCall };
  self?: unknown;
  IS_REACT_ACT_ENVIRONMENT?: boolean;
}

let host: BridgeHost | undefined;
let lastDoc: ForgeNode | undefined;
/** Resolver calls still running (they do real I/O: SQL on the test server, the fake Jira). */
let inFlight = 0;
/** Every `invoke` the view made: function key and payload, in order. */
export const invocations: Array<{ functionKey: string; payload: unknown }> = [];

/**
 * Installs the bridge UI Kit talks to, as the Forge host page does: the reconciler sends `reconcile` with the
 * whole component tree after each commit, `invoke` calls go to the real `@forge/resolver` definitions, and
 * `getContext` answers the product context. Must run before `@forge/bridge` is imported (it binds the bridge
 * when loaded), so view modules are imported dynamically after this.
 */
export function installBridge(): void {
  const g = globalThis as unknown as BridgeGlobals;
  g.self = globalThis;
  g.IS_REACT_ACT_ENVIRONMENT = true;
  g.__bridge = {
    callBridge: async (cmd, data) => {
      if (cmd === 'reconcile') {
        // Snapshot: the reconciler mutates its tree in place on later commits.
        lastDoc = snapshot((data as { forgeDoc: ForgeNode }).forgeDoc) as ForgeNode;
        return undefined;
      }
      if (!host) throw new Error('no bridge host: call setBridgeHost() in the test');
      if (cmd === 'invoke') {
        const { functionKey, payload } = data as { functionKey: string; payload?: unknown };
        invocations.push({ functionKey, payload });
        inFlight++;
        try {
          return await host.resolver(
            { call: { functionKey, payload }, context: { ...host.context } },
            { principal: { accountId: host.accountId } },
          );
        } finally {
          inFlight--;
        }
      }
      if (cmd === 'getContext') return { accountId: host.accountId, ...host.context };
      if (cmd === 'onError') return undefined;
      throw new Error(`the test bridge does not answer '${cmd}'`);
    },
  };
}

/** Sets what the host answers for the next renders. */
export function setBridgeHost(next: BridgeHost): void {
  host = next;
  invocations.length = 0;
  lastDoc = undefined;
}

/**
 * A deep copy of what the reconciler sent, as the host receives it: functions are kept (the host calls them
 * back by id) and React's development-only bookkeeping on elements in props (`_owner`, `_store`) is dropped.
 */
function snapshot(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => snapshot(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '_owner' || key === '_store' || key === '_self' || key === '_source') continue;
    out[key] = snapshot(item, seen);
  }
  return out;
}

/** Renders an element through `@forge/react`'s real reconciler and waits until effects and resolver calls settle. */
export async function renderForge(element: ReactElement): Promise<void> {
  const { act } = await import('react');
  const { default: ForgeReconciler } = await import('@forge/react');
  await act(async () => {
    ForgeReconciler.render(element);
  });
  await settle();
}

/**
 * Settles until the rendered tree's text satisfies `ready` (resolver calls that do real I/O, such as SQL on the
 * test server, take longer than a few event-loop turns); throws with the text after `timeoutMs`.
 */
export async function waitForText(ready: (text: string) => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await settle(1);
    const text = lastDoc ? textOf(lastDoc) : '';
    if (ready(text)) return;
    if (Date.now() > deadline) throw new Error(`the page never showed what was expected; it shows: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Lets pending promises resolve and React commit what they set: a few event-loop turns, then until every resolver
 * call in flight has answered (they do real I/O), then a few turns more for the state they set.
 */
export async function settle(rounds = 5): Promise<void> {
  const { act } = await import('react');
  const turn = (ms: number) =>
    act(async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
    });
  for (let i = 0; i < rounds; i++) await turn(0);
  const deadline = Date.now() + 20_000;
  while (inFlight > 0) {
    if (Date.now() > deadline) throw new Error('a resolver call did not answer within 20 s');
    await turn(5);
  }
  for (let i = 0; i < rounds; i++) await turn(0);
}

/** The latest tree the reconciler sent. */
export function tree(): ForgeNode {
  if (!lastDoc) throw new Error('nothing was rendered');
  return lastDoc;
}

/** Every node of a type (optionally matching a predicate), depth first. */
export function findAll(
  type: string,
  predicate: (node: ForgeNode) => boolean = () => true,
  root: ForgeNode = tree(),
): ForgeNode[] {
  const out: ForgeNode[] = [];
  const walk = (node: ForgeNode): void => {
    if (node.type === type && predicate(node)) out.push(node);
    for (const child of node.children) walk(child);
  };
  walk(root);
  return out;
}

/** The one node of a type whose text contains `text`; throws naming what was there when there is none. */
export function findByText(type: string, text: string, root: ForgeNode = tree()): ForgeNode {
  const found = findAll(type, (n) => textOf(n).includes(text), root);
  const first = found[0];
  if (!first) {
    const seen = findAll(type, () => true, root).map((n) => JSON.stringify(textOf(n)));
    throw new Error(`no ${type} with text "${text}"; found: ${seen.join(', ') || 'none'}`);
  }
  return first;
}

/** The text a node shows: its `String` leaves joined. */
export function textOf(node: ForgeNode): string {
  if (node.type === 'String') return String(node.props.text ?? '');
  return node.children.map((child) => textOf(child)).join('');
}

/** Calls a node's event handler as the host does when the user acts, and waits for the view to settle. */
export async function fire(node: ForgeNode, handler: string, ...args: unknown[]): Promise<void> {
  const fn = node.props[handler];
  if (typeof fn !== 'function') throw new Error(`${node.type} has no ${handler} handler`);
  const { act } = await import('react');
  await act(async () => {
    await (fn as (...a: unknown[]) => unknown)(...args);
  });
  await settle();
}
