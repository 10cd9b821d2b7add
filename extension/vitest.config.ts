import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/** Unit tests of the extension's background logic: `fakeBrowser` for the extension APIs, fake-indexeddb for Dexie. */
export default defineProject({
  // WXT reads wxt.config.ts from its root: pin it, since the root `vitest` runs from the repository root.
  plugins: [WxtVitest({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  test: {
    name: 'extension',
    // Not under entrypoints/: WXT treats every file there as an entrypoint.
    include: ['src/**/*.test.ts'],
    exclude: ['**/*.browser.test.ts', '**/*.e2e.test.ts'],
    setupFiles: ['fake-indexeddb/auto', '../test/harness/fast-check-seed.ts'],
  },
});
