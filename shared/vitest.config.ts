import { defineProject } from 'vitest/config';

export default defineProject({
  // The purity scan type-checks the whole core and property tests run hundreds of cases: on a loaded 2-core CI
  // machine they take several seconds, so the 5 s default would fail them for no fault of the code.
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    // One printed fast-check seed per run (FC_SEED replays it).
    setupFiles: ['../test/harness/fast-check-seed.ts'],
  },
});
