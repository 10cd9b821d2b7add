#!/usr/bin/env node
// Makes `npm test` self-sufficient on a fresh machine: installs the npm dependencies when they are missing
// and Debian's Chromium (the browser the real-browser tests drive) when it is missing and we may install it.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('cxplan: installing npm dependencies (npm ci)…');
  run('npm ci');
}
// The W3C Web Annotation validator beside the repo (../shared/w3c-annotation) checks our real exports.
const w3c = '../shared/w3c-annotation';
if (existsSync(`${w3c}/package.json`) && !existsSync(`${w3c}/node_modules/ajv`)) {
  console.log('cxplan: installing the W3C Web Annotation validator (npm ci in ../shared/w3c-annotation)…');
  run(`cd ${w3c} && npm ci --no-audit --no-fund`);
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    console.log('cxplan: installing Debian Chromium for the real-browser tests…');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.error(
      `cxplan: the real-browser tests need Chromium at ${chromium}. Install it (sudo apt-get install chromium) or set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
}
