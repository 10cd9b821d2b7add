import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExtension } from './build-extension';

/**
 * Vitest globalSetup: build the extension once for every real-browser test file, into a directory of this run's
 * own (test workers inherit CXPLAN_OUTPUT_DIR), so a second run in the same tree cannot rewrite the files a
 * running browser has loaded. With CXPLAN_SKIP_BUILD=1 the existing extension/.output is used instead.
 */
export default function setup(): () => void {
  if (process.env.CXPLAN_SKIP_BUILD === '1') return () => undefined;
  const outDir = mkdtempSync(join(tmpdir(), 'cxplan-build-'));
  buildExtension(outDir);
  process.env.CXPLAN_OUTPUT_DIR = outDir;
  return () => {
    rmSync(outDir, { recursive: true, force: true });
    delete process.env.CXPLAN_OUTPUT_DIR;
  };
}
