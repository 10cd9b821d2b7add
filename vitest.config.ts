import { defineConfig } from 'vitest/config';

/**
 * One `npm test` runs every project: the pure core, the extension's unit tests, the Forge app's tests,
 * and the cross-part tests in test/ (real Chromium with the built extension, the whole process end to end).
 */
export default defineConfig({
  test: {
    projects: ['shared', 'extension', 'jira-plugin', 'test'],
  },
});
