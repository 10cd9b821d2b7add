import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'jira-plugin',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // One throwaway MariaDB for the run: the SQL the app sends to Forge SQL runs on a real server.
    globalSetup: ['./src/testing/mariadb-global-setup.ts'],
    // Property tests (the clip codec, the feed) print their fast-check seed; FC_SEED=<seed> replays a failure.
    setupFiles: ['../test/harness/fast-check-seed.ts'],
    // The OpenAPI spec is 2.4 MB and the Forge linter parses every source file: give slow files room.
    testTimeout: 60_000,
  },
});
