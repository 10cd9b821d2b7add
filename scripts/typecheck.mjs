#!/usr/bin/env node
// Type-checks every TypeScript project in the repo (each extends the strict root tsconfig.json).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'shared/tsconfig.json',
  'shared/tsconfig.test.json',
  'extension/tsconfig.json',
  'jira-plugin/tsconfig.json',
  'test/tsconfig.json',
  'bench/tsconfig.json',
].filter((p) => existsSync(p));

let failed = false;
for (const project of projects) {
  try {
    execFileSync('npx', ['tsc', '-p', project], { stdio: 'inherit' });
  } catch {
    failed = true;
    console.error(`typecheck failed: ${project}`);
  }
}
process.exit(failed ? 1 : 0);
