import { execFileSync } from 'node:child_process';
import { EXTENSION_DIR } from './paths';

/**
 * Builds the extension for Chrome and Firefox with WXT (production builds, as shipped). Set
 * CXPLAN_SKIP_BUILD=1 to reuse an existing .output while iterating on tests.
 */
export function buildExtension(): void {
  if (process.env.CXPLAN_SKIP_BUILD === '1') return;
  for (const args of [
    ['wxt', 'build'],
    ['wxt', 'build', '-b', 'firefox'],
  ]) {
    execFileSync('npx', args, { cwd: EXTENSION_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
