import { defineProject } from 'vitest/config';

/**
 * Cross-part tests in a real browser: Debian Chromium with the built extension loaded. One build and one MariaDB
 * for the run (globalSetup), files one after another (each launches its own browser; two cores are shared), long
 * timeouts.
 */
export default defineProject({
  test: {
    name: 'test',
    include: ['**/*.browser.test.ts', '**/*.e2e.test.ts'],
    // The extension build, and the MariaDB the Jira app's SQL runs on (shared with the jira-plugin project).
    globalSetup: ['./harness/global-setup.ts', '../jira-plugin/src/testing/mariadb-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's 1 s default is shorter than a popup's first render on a loaded 2-core CI machine.
    expect: { poll: { timeout: 15_000 } },
  },
});
