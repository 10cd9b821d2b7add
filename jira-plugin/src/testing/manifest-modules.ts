import { fileURLToPath } from 'node:url';
import { validate } from '@forge/manifest';

/** Where the app's manifest is. */
export const MANIFEST_PATH = fileURLToPath(new URL('../../manifest.yml', import.meta.url));

/** A manifest module entry, loosely typed (tests read the fields they check). */
export type ManifestModule = Record<string, unknown> & { key: string };

/** The manifest's modules as `@forge/manifest` parses them (its full validation must pass). */
export async function manifestModules(): Promise<Record<string, ManifestModule[]>> {
  const result = await validate(false, MANIFEST_PATH);
  if (!result.success) throw new Error(`manifest.yml is invalid: ${JSON.stringify(result.errors)}`);
  const content = (result.manifestObject as { typedContent: { modules: Record<string, ManifestModule[]> } })
    .typedContent;
  return content.modules;
}

/** One module by type and key; throws naming what is missing. */
export function moduleOf(
  modules: Record<string, ManifestModule[]>,
  type: string,
  key: string,
): ManifestModule {
  const found = (modules[type] ?? []).find((m) => m.key === key);
  if (!found) throw new Error(`manifest.yml has no ${type} with key ${key}`);
  return found;
}
