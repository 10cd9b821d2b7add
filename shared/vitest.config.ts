import { defineProject } from 'vitest/config';

export default defineProject({
  // The purity scan type-checks the whole core and property tests run hundreds of cases: on a loaded 2-core CI
  // machine they take several seconds, so the 5 s default would fail them for no fault of the code.
  test: { name: 'core', include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
