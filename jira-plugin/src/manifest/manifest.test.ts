import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '@forge/manifest';
import { describe, expect, it } from 'vitest';

const pluginDir = fileURLToPath(new URL('../..', import.meta.url));
const manifestPath = join(pluginDir, 'manifest.yml');
const require = createRequire(import.meta.url);

/** Every product event `@forge/manifest` knows, from its own event-to-scope mapping. */
function knownProductEvents(): Set<string> {
  const mappingPath = join(
    require.resolve('@forge/manifest').replace(/out[\\/]index\.js$/, ''),
    'out/mapping/product-event-to-scope-mapping.json',
  );
  const mapping = JSON.parse(readFileSync(mappingPath, 'utf8')) as {
    mapping: Array<{ productEvent: string }>;
  };
  return new Set(mapping.mapping.map((entry) => entry.productEvent));
}

/**
 * The app's own life-cycle events, documented apart from the product events (developer.atlassian.com/platform/
 * forge/events-reference/life-cycle) and so absent from the product-event mapping.
 */
const LIFE_CYCLE_EVENTS = ['avi:forge:installed:app', 'avi:forge:upgraded:app'];

/** Trigger events of a manifest that Forge does not know (validate() does not catch them). */
function unknownTriggerEvents(manifest: {
  modules?: { trigger?: Array<{ key: string; events: string[] }> };
}): string[] {
  const known = new Set([...knownProductEvents(), ...LIFE_CYCLE_EVENTS]);
  return (manifest.modules?.trigger ?? []).flatMap((t) =>
    t.events.filter((e) => !known.has(e)).map((e) => `${t.key}: ${e}`),
  );
}

async function typedManifest(path: string): Promise<Record<string, unknown>> {
  const result = await validate(false, path);
  return (result.manifestObject as { typedContent: Record<string, unknown> }).typedContent;
}

describe('manifest.yml', () => {
  it("passes @forge/manifest's full validation (what forge lint runs)", async () => {
    const result = await validate(false, manifestPath);
    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('is refused by the same validation when broken, so the check above can fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxplan-manifest-'));
    const broken = join(dir, 'manifest.yml');
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace('nodejs22.x', 'nodejs12.x'));
    const result = await validate(false, broken);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toContain('runtime');
  });

  it('uses the nodejs22.x runtime and asks only for the scopes its calls need', async () => {
    const manifest = (await typedManifest(manifestPath)) as {
      app: { runtime: { name: string } };
      permissions: { scopes: string[] };
    };
    expect(manifest.app.runtime.name).toBe('nodejs22.x');
    expect([...manifest.permissions.scopes].sort()).toEqual([
      'manage:jira-configuration',
      'read:jira-user',
      'read:jira-work',
      'storage:app',
      'write:jira-work',
    ]);
  });

  it("names only trigger events that @forge/manifest's event mapping knows", async () => {
    const manifest = await typedManifest(manifestPath);
    expect(unknownTriggerEvents(manifest)).toEqual([]);
    // The check itself: the made-up transition event is caught, the real issue-updated event is not.
    expect(
      unknownTriggerEvents({
        modules: {
          trigger: [{ key: 't', events: ['avi:jira:transitioned:issue', 'avi:jira:updated:issue'] }],
        },
      }),
    ).toEqual(['t: avi:jira:transitioned:issue']);
  });
});
