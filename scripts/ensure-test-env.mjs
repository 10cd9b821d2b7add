#!/usr/bin/env node
// Makes `npm test` self-sufficient on a fresh machine with nothing but Node 20: everything the tests need is
// installed here, so CI (.ci/run) installs nothing by hand and a green CI means this command works for a new user.
//
// - the npm dependencies (npm ci), when missing. The root install has no package that compiles native code
//   (test/fresh-machine/install.e2e.test.ts keeps it so), so it works without a C toolchain or Node's headers;
// - Forge's linter in its own folder (jira-plugin/tools/forge-lint), with --ignore-scripts: it depends on keytar,
//   a native module the linters never load;
// - the W3C Web Annotation validator beside the repo (../shared/w3c-annotation);
// - Debian packages the tests run for real: Chromium (the real-browser tests), Firefox ESR (the same add-on in
//   Firefox, test/firefox/) and MariaDB (the Jira app's SQL, one throwaway server per run). Installed with
//   apt-get when we are root; otherwise the message says what to install.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const say = (line) => console.log(`cxplan: ${line}`);

if (!existsSync('node_modules/.package-lock.json')) {
  say('installing npm dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

const forgeLint = 'jira-plugin/tools/forge-lint';
if (!existsSync(`${forgeLint}/node_modules/@forge/lint/package.json`)) {
  say(`installing Forge's linter for the offline lint test (npm ci --ignore-scripts in ${forgeLint})…`);
  run(`cd ${forgeLint} && npm ci --ignore-scripts --no-audit --no-fund`);
}

const w3c = '../shared/w3c-annotation';
if (existsSync(`${w3c}/package.json`) && !existsSync(`${w3c}/node_modules/ajv`)) {
  say('installing the W3C Web Annotation validator (npm ci in ../shared/w3c-annotation)…');
  run(`cd ${w3c} && npm ci --no-audit --no-fund`);
}

/** Debian packages the tests need, each found by one program it installs (or by an environment variable). */
const debian = [
  {
    pkg: 'chromium',
    program: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    why: 'the real-browser tests drive it with the built extension loaded',
    override: 'or set CHROMIUM_PATH',
  },
  {
    pkg: 'firefox-esr',
    program: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    why: 'the Firefox tests run the built add-on in a real Firefox',
    override: 'or set FIREFOX_PATH',
  },
  {
    pkg: 'mariadb-server',
    program: '/usr/sbin/mariadbd',
    why: "the Jira app's team store runs its SQL against a real MySQL-compatible server",
    override: "or set CXPLAN_MARIADB_SOCKET to a running server's socket",
    // A running server named here stands in for the package: the tests then start none.
    satisfiedBy: 'CXPLAN_MARIADB_SOCKET',
  },
];
const missing = debian.filter(
  (d) => !existsSync(d.program) && !(d.satisfiedBy && process.env[d.satisfiedBy]),
);
if (missing.length > 0) {
  const names = missing.map((d) => d.pkg).join(' ');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    for (const d of missing) console.error(`cxplan: the tests need ${d.program}: ${d.why}.`);
    console.error(
      `cxplan: install them (sudo apt-get install ${names}), ${missing.map((d) => d.override).join(', ')}, then run npm test again.`,
    );
    process.exit(1);
  }
  say(`installing Debian packages the tests need: ${names}…`);
  run(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${names} >/dev/null`);
}
