#!/usr/bin/env node
// `npm start`: set up on a fresh machine, build the extension for Chrome and Firefox (unpacked + zips), and,
// where a display is available, open Chromium with it loaded. cxplan runs on its local store: no Jira needed.
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('cxplan: installing npm dependencies (npm ci)…');
  run('npm ci');
}
console.log('cxplan: building the extension (Chrome MV3 and Firefox) and zipping both…');
run('npm run build -w extension');
run('npm run zip -w extension');

const out = path.resolve('extension/.output');
const chromeDir = path.join(out, 'chrome-mv3');
const firefoxDir = path.join(out, 'firefox-mv2');
console.log(`
cxplan is built.
  Chrome / Chromium / Edge (unpacked): ${chromeDir}
      open chrome://extensions, turn on Developer mode, "Load unpacked", choose that folder.
  Firefox (temporary add-on):          ${firefoxDir}/manifest.json
      open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…", choose that manifest.json.
  Zips for the stores:                 ${out}/*.zip
`);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (hasDisplay && existsSync(chromium) && process.env.CI !== 'true') {
  const profile = mkdtempSync(path.join(tmpdir(), 'cxplan-profile-'));
  console.log(
    'cxplan: opening Chromium with the extension loaded (a fresh profile; the dashboard opens on install)…',
  );
  spawn(
    chromium,
    [
      `--user-data-dir=${profile}`,
      `--disable-extensions-except=${chromeDir}`,
      `--load-extension=${chromeDir}`,
      '--no-first-run',
    ],
    { stdio: 'ignore', detached: true },
  ).unref();
} else {
  console.log('cxplan: no display here, so nothing was opened; load the folder above into your browser.');
}
