#!/usr/bin/env node
// Runs Forge's own checks offline, as `forge lint` would (it needs a login here): `@forge/manifest`'s validate()
// and `@forge/lint`'s client-side linters, with the permission linter reading Jira's OpenAPI description from
// disk (USE_LOCAL_SWAGGER). Prints every problem; exits 1 when there is an error (e.g. a missing scope).
//
// Usage (from jira-plugin/): node tools/forge-lint/lint-offline.mjs [manifest.yml] [--drop-scope=<scope> ...]
// --drop-scope lints as if the manifest lacked that scope: the check that proves the linter sees the app's calls.
//
// @forge/lint lives in this folder's own install, not in the root one: it depends on @forge/cli-shared, which
// depends on keytar, a native module that needs libsecret headers to build. The linters never load keytar (only
// the CLI's credential store does, lazily), so `npm ci --ignore-scripts` here gives working linters with nothing
// compiled. `npm test`'s set-up (scripts/ensure-test-env.mjs) runs that install when it is missing.
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const here = new URL('.', import.meta.url);
if (!existsSync(new URL('node_modules/@forge/lint/package.json', here))) {
  console.error(
    'error: @forge/lint is not installed. Run `npm ci --ignore-scripts` in jira-plugin/tools/forge-lint (npm test does it).',
  );
  process.exit(2);
}
const require = createRequire(new URL('package.json', here));
const args = process.argv.slice(2);
const dropped = args.filter((a) => a.startsWith('--drop-scope=')).map((a) => a.slice('--drop-scope='.length));
const manifestPath = resolve(args.find((a) => !a.startsWith('--')) ?? 'manifest.yml');
const spec = resolve(process.env.LOCAL_JIRA_SWAGGER ?? '../../shared/jira/jira-platform-openapi.json');

// The permission linter only reads local files when all six product specs are given; cxplan calls Jira only,
// so the others are empty descriptions (any call to those products would then show as unknown, not allowed).
const empty = join(mkdtempSync(join(tmpdir(), 'forge-lint-')), 'empty-openapi.json');
writeFileSync(empty, JSON.stringify({ paths: {} }));
process.env.USE_LOCAL_SWAGGER = '1';
process.env.LOCAL_JIRA_SWAGGER = spec;
for (const name of [
  'LOCAL_JSM_SWAGGER',
  'LOCAL_JSW_SWAGGER',
  'LOCAL_CONF_SWAGGER',
  'LOCAL_CONF_V2_SWAGGER',
  'LOCAL_BB_SWAGGER',
]) {
  process.env[name] ??= empty;
}

const { validate } = require('@forge/manifest');
const { lint } = require('@forge/lint');
const { PermissionLinter } = require('@forge/lint/out/lint/linters/permission-linter/permission-linter');
const { HandlerLinter } = require('@forge/lint/out/lint/linters/handler-linter/handler-linter');
const {
  FunctionTimeoutLinter,
} = require('@forge/lint/out/lint/linters/function-timeout-linter/function-timeout-linter');

const logger = { info: (line) => console.log(line) };
const problems = [];

const validation = await validate(false, manifestPath);
for (const error of validation.errors ?? []) {
  problems.push({
    level: error.level ?? 'error',
    file: 'manifest.yml',
    line: error.line,
    message: error.message,
  });
}
if (!validation.success && !(validation.errors ?? []).length)
  problems.push({ level: 'error', file: 'manifest.yml', message: 'manifest invalid' });

if (validation.manifestObject?.typedContent) {
  const manifest = validation.manifestObject.typedContent;
  if (dropped.length > 0) {
    manifest.permissions.scopes = manifest.permissions.scopes.filter((scope) => !dropped.includes(scope));
    console.log(`linting as if these scopes were missing: ${dropped.join(', ')}`);
  }
  const sources = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !path.includes(`${'/'}testing${'/'}`))
        sources.push(path);
    }
  };
  walk('src');
  const linters = [
    new PermissionLinter('development', manifest, logger),
    new HandlerLinter('development', manifest, logger),
    new FunctionTimeoutLinter(manifest, logger),
  ];
  const results = await lint(sources, manifest, 'development', logger, undefined, {
    linter: { mode: 'client-side' },
    linters,
  });
  for (const result of results) {
    for (const rule of [...result.errors, ...result.warnings]) {
      problems.push({
        level: rule.class,
        file: relative(process.cwd(), result.file),
        line: rule.line,
        message: rule.message,
      });
    }
  }
  console.log(`linted ${sources.length} source files against ${relative(process.cwd(), spec)}`);
}

for (const p of problems) console.log(`${p.level}: ${p.file}${p.line ? `:${p.line}` : ''} ${p.message}`);
console.log(problems.length === 0 ? 'no problems found' : `${problems.length} problem(s)`);
process.exitCode = problems.some((p) => p.level === 'error') ? 1 : 0;
