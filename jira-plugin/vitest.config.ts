import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'jira-plugin',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // The OpenAPI spec is 2.4 MB and the Forge linter parses every source file: give slow files room.
    testTimeout: 60_000,
  },
});
