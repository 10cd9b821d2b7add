import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/paths';

// Issue 14: the README's commands install everything on a machine that cannot build native modules. CI proves the
// whole install (`.ci/run` runs `npm test` with no Node headers and no prebuilt-binary downloads); these checks say
// why, from the lockfiles, so a dependency that would bring a native build back fails here by name.

interface LockPackage {
  version?: string;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  optional?: boolean;
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;
const lockPackages = (path: string): Record<string, LockPackage> =>
  readJson<{ packages: Record<string, LockPackage> }>(path).packages;
const nameOf = (key: string): string => key.replace(/^.*node_modules\//, '');
const WORKSPACES = new Set(['', 'shared', 'extension', 'jira-plugin']);
/** Packages whose only purpose is compiling or fetching a native addon. */
const NATIVE_BUILD = ['node-gyp', 'prebuild-install', 'node-addon-api', 'nan', 'node-gyp-build', 'bindings'];

describe('the root install needs no native build', () => {
  const root = lockPackages('package-lock.json');
  const allowScripts = readJson<{ allowScripts: Record<string, boolean> }>('package.json').allowScripts;

  it('has no package that builds or downloads a native addon', () => {
    const native = Object.entries(root)
      .filter(([key, pkg]) => !WORKSPACES.has(key) && !pkg.optional)
      .filter(([key, pkg]) =>
        [nameOf(key), ...Object.keys(pkg.dependencies ?? {})].some((n) => NATIVE_BUILD.includes(n)),
      )
      .map(([key]) => nameOf(key));
    expect(native).toEqual([]);
    expect(Object.keys(root).map(nameOf)).not.toContain('keytar');
    expect(Object.keys(root).map(nameOf)).not.toContain('@forge/lint');
  });

  it('reviews every install script: only esbuild runs one (it checks its platform binary, shipped as an npm package)', () => {
    const withScripts = [
      ...new Set(
        Object.entries(root)
          .filter(([key, pkg]) => !WORKSPACES.has(key) && pkg.hasInstallScript)
          .map(([key]) => nameOf(key)),
      ),
    ].sort();
    expect(withScripts.filter((name) => !(name in allowScripts))).toEqual([]);
    expect(Object.entries(allowScripts).filter(([, allowed]) => allowed)).toEqual([['esbuild', true]]);
  });
});

describe("Forge's linter lives in its own install", () => {
  it('holds keytar there (npm test installs it with --ignore-scripts; the lint test shows the linters still work)', () => {
    const tool = lockPackages('jira-plugin/tools/forge-lint/package-lock.json');
    expect(tool['node_modules/keytar']?.hasInstallScript).toBe(true);
    expect(tool['node_modules/@forge/lint']?.version).toBe('6.3.1');
  });
});
