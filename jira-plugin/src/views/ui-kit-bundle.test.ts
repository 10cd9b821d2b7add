import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ManifestModule, manifestModules } from '../testing/manifest-modules';

/**
 * `forge deploy` bundles UI Kit resources with Webpack inside `@forge/cli` (its `@forge/bundler`), which CI must
 * not depend on and which needs a registered app. This test proves offline that every UI Kit resource the
 * manifest declares bundles for the browser with a pinned bundler (esbuild 0.27.7, a devDependency), pulls no
 * back-end module into the front end, and — run in a bare JavaScript context with only the Forge bridge — renders
 * and sends its component tree. It is not Forge's own bundler: a Webpack-only problem would show at deploy.
 */

const pluginDir = fileURLToPath(new URL('../..', import.meta.url));

/** Back-end packages and app folders that must never reach a UI Kit bundle (they need Node or run as functions). */
const BACKEND_ONLY = [
  /node_modules\/@forge\/api\//,
  /node_modules\/@forge\/kvs\//,
  /node_modules\/@forge\/resolver\//,
  /jira-plugin\/src\/(workflow|ingest|resolvers)\//,
  /jira-plugin\/src\/jira-client\.ts$/,
];

/** Resources known not to render yet, with why; the test fails when one starts rendering so the entry is removed. */
const KNOWN_BROKEN: Record<string, string> = {};

interface UiKitResource {
  key: string;
  path: string;
  modules: string[];
}

let resources: UiKitResource[];

beforeAll(async () => {
  const modules = await manifestModules();
  const byResource = new Map<string, string[]>();
  for (const [type, entries] of Object.entries(modules)) {
    for (const entry of entries as ManifestModule[]) {
      if (entry.render === 'native' && typeof entry.resource === 'string') {
        byResource.set(entry.resource, [...(byResource.get(entry.resource) ?? []), `${type}:${entry.key}`]);
      }
    }
  }
  const { validate } = await import('@forge/manifest');
  const { MANIFEST_PATH } = await import('../testing/manifest-modules');
  const declared = (
    (await validate(false, MANIFEST_PATH)).manifestObject as {
      typedContent: { resources: Array<{ key: string; path: string }> };
    }
  ).typedContent.resources;
  resources = [...byResource].map(([key, uses]) => {
    const resource = declared.find((r) => r.key === key);
    if (!resource)
      throw new Error(`${uses.join(', ')} use a resource "${key}" the manifest does not declare`);
    return { key, path: join(pluginDir, resource.path), modules: uses };
  });
}, 60_000);

async function bundle(entry: string) {
  return build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}

/** Runs a bundle in a fresh context that has only what a UI Kit runtime gives it, and returns the first tree sent. */
async function renderBundle(code: string): Promise<{ type: string; children: unknown[] } | undefined> {
  const sent: Array<{ cmd: string; data: unknown }> = [];
  const bridge = {
    callBridge: (cmd: string, data: unknown) => {
      sent.push({ cmd, data });
      // The views ask their resolver first; leaving the call pending shows the loading state, which is enough here.
      return cmd === 'invoke' ? new Promise(() => undefined) : Promise.resolve(undefined);
    },
  };
  const sandbox: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    MessageChannel,
    crypto: globalThis.crypto,
  };
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  sandbox.window = sandbox;
  sandbox.__bridge = bridge;
  runInNewContext(code, sandbox);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const reconcile = sent.find((s) => s.cmd === 'reconcile');
  return (reconcile?.data as { forgeDoc?: { type: string; children: unknown[] } } | undefined)?.forgeDoc;
}

describe('UI Kit resources bundle offline (esbuild) and render in a bare context', () => {
  it('finds the UI Kit resources the manifest declares', () => {
    expect(resources.map((r) => r.key).sort()).toEqual(
      expect.arrayContaining(['admin-page', 'issue-panel', 'project-page']),
    );
  });

  it('bundles every resource for the browser, without back-end modules, and each renders its tree', async () => {
    const sizes: Record<string, number> = {};
    const failedToRender: string[] = [];
    for (const resource of resources) {
      const result = await bundle(resource.path);
      expect(result.errors, resource.key).toEqual([]);
      const inputs = Object.keys(result.metafile.inputs);
      const leaked = inputs.filter((input) => BACKEND_ONLY.some((pattern) => pattern.test(input)));
      expect(leaked, `${resource.key} pulls back-end code into the browser`).toEqual([]);
      const output = result.outputFiles[0];
      if (!output) throw new Error(`${resource.key}: no output`);
      sizes[resource.key] = output.contents.byteLength;
      const doc = await renderBundle(output.text).catch(() => undefined);
      if (doc?.type === 'Root' && JSON.stringify(doc).includes('Loading')) continue;
      failedToRender.push(resource.key);
    }
    // Printed so the figures can be quoted; they are what the bundle weighs minified, before compression.
    console.info('UI Kit bundle sizes (bytes, minified):', JSON.stringify(sizes));
    expect(failedToRender).toEqual(Object.keys(KNOWN_BROKEN));
  });

  it('fails when a resource imports back-end code, so the check above can fail', async () => {
    const result = await bundle(join(pluginDir, 'src/resolvers/admin-resolver.ts')).catch(
      (error: unknown) => error,
    );
    const inputs =
      result && typeof result === 'object' && 'metafile' in result
        ? Object.keys((result as { metafile: { inputs: object } }).metafile.inputs)
        : [];
    const leaked = inputs.filter((input) => BACKEND_ONLY.some((pattern) => pattern.test(input)));
    // Either esbuild refuses (Node built-ins in a browser bundle) or the back-end modules show up in the inputs.
    expect(result instanceof Error || leaked.length > 0).toBe(true);
  });
});
