import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/** Unit tests of the extension's background logic: `fakeBrowser` for the extension APIs, fake-indexeddb for Dexie. */
export default defineProject({
  plugins: [WxtVitest()],
  test: {
    name: 'extension',
    include: ['src/**/*.test.ts', 'entrypoints/**/*.test.ts'],
    exclude: ['**/*.browser.test.ts', '**/*.e2e.test.ts'],
    setupFiles: ['fake-indexeddb/auto'],
  },
});
