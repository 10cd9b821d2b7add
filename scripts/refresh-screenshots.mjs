#!/usr/bin/env node
// Refreshes the committed walkthrough screenshots (docs/screenshots/*.png) on purpose: runs the end-to-end scenario
// (test/e2e/whole-process.e2e.test.ts) with CXPLAN_SCREENSHOTS pointing at a temporary folder and copies the images
// into docs/screenshots only when the whole scenario passed, so a failing run never leaves a half-updated set.
// `npm test` always writes the same images to test/screenshots (ignored) instead.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'screenshots');
const staging = mkdtempSync(join(tmpdir(), 'cxplan-shots-'));

const run = spawnSync('npx', ['vitest', 'run', '--project', 'test', 'test/e2e/whole-process.e2e.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CXPLAN_SCREENSHOTS: staging },
});
if (run.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error('\nThe end-to-end scenario failed: docs/screenshots was left unchanged.');
  process.exit(run.status ?? 1);
}

const images = readdirSync(staging)
  .filter((f) => f.endsWith('.png'))
  .sort();
if (images.length === 0) {
  console.error('The scenario passed but wrote no screenshots: docs/screenshots was left unchanged.');
  process.exit(1);
}
mkdirSync(target, { recursive: true });
// Images the scenario no longer takes are removed, so the folder matches the walkthrough.
for (const old of readdirSync(target).filter((f) => f.endsWith('.png') && !images.includes(f))) {
  rmSync(join(target, old));
}
let total = 0;
for (const image of images) {
  copyFileSync(join(staging, image), join(target, image));
  const bytes = statSync(join(target, image)).size;
  total += bytes;
  console.log(`docs/screenshots/${image}  ${(bytes / 1024).toFixed(0)} KiB`);
}
console.log(`${images.length} screenshots, ${(total / 1024).toFixed(0)} KiB in all.`);
rmSync(staging, { recursive: true, force: true });
