/**
 * Vitest setup file (every project that runs property tests): one fast-check seed per test run, printed, so a
 * counterexample found in CI can be replayed exactly with `FC_SEED=<seed> npm test`. Without it each property
 * drew its own random seed and a CI failure could not be reproduced.
 */
import * as fc from 'fast-check';

const fromEnv = process.env.FC_SEED;
const seed =
  fromEnv !== undefined && /^-?\d+$/.test(fromEnv)
    ? Number(fromEnv)
    : Date.now() ^ (Math.random() * 0x100000000);
if (!(globalThis as { __cxplanSeedPrinted?: boolean }).__cxplanSeedPrinted) {
  (globalThis as { __cxplanSeedPrinted?: boolean }).__cxplanSeedPrinted = true;
  console.log(`fast-check seed ${seed} (replay: FC_SEED=${seed} npm test)`);
}
fc.configureGlobal({ seed });
