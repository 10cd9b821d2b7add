import { execFileSync } from 'node:child_process';
import { EXTENSION_DIR } from './paths';

/**
 * Builds the extension for Chrome and Firefox with WXT (production builds, as shipped) into `outDir`
 * (default: WXT's extension/.output). Set CXPLAN_SKIP_BUILD=1 to reuse an existing build while iterating on tests.
 */
export function buildExtension(outDir?: string): void {
  if (process.env.CXPLAN_SKIP_BUILD === '1') return;
  // NODE_ENV is pinned: Vitest sets it to "test", and a build that inherits that keeps libraries' development code
  // (the dashboard's JavaScript grows by about 6 kB gzip), so the tests and the bundle budgets would not see what ships.
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    ...(outDir === undefined ? {} : { CXPLAN_OUTPUT_DIR: outDir }),
  };
  for (const args of [
    ['wxt', 'build'],
    ['wxt', 'build', '-b', 'firefox'],
  ]) {
    execFileSync('npx', args, { cwd: EXTENSION_DIR, env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
