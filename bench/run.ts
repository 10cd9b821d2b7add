/**
 * `npm run bench`: runs every benchmark in bench/ (one process each, one after another so they don't compete
 * for the two cores), then renders the figures of bench/results/*.json into the README's benchmark table.
 * `npm run bench -- --only capture,analytics` runs a subset; `--render` only re-renders the table.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './lib/machine';

const here = import.meta.dirname;
const root = path.join(here, '..');
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only'))?.split('=')[1] ?? args[args.indexOf('--only') + 1];
const renderOnly = args.includes('--render');

const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => !only || only.split(',').some((n) => f.startsWith(n)))
  .sort();

if (!renderOnly) {
  for (const file of benches) {
    console.log(`\n=== bench/${file}`);
    execFileSync('npx', ['tsx', path.join(here, file)], { stdio: 'inherit', cwd: root });
  }
}

const resultsDir = path.join(here, 'results');
const rows: string[] = [];
const machines = new Set<string>();
for (const f of readdirSync(resultsDir)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as Partial<BenchResult>;
  if (!Array.isArray(r.figures) || !r.machine) {
    console.warn(`bench: ${f} is not in the shared result format; left out of the table`);
    continue;
  }
  machines.add(
    `${r.machine.cpu} × ${r.machine.cores}, Node ${r.machine.node}${r.machine.chromium ? `, ${r.machine.chromium}` : ''}`,
  );
  for (const fig of r.figures) {
    const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1));
    const base = fig.baseline
      ? `${fmt(fig.baseline.value)} ${fig.baseline.unit} (${fig.baseline.what})`
      : '—';
    const met = fig.met === undefined ? '' : fig.met ? ' ✅' : ' ❌';
    rows.push(
      `| ${r.benchmark} | ${fig.what} | ${fmt(fig.value)} ${fig.unit} (${fig.stat}) | ${base} | ${fig.target ?? '—'}${met} | ${r.ranAt?.slice(0, 10) ?? ''} |`,
    );
  }
}
const table = [
  '| benchmark | what | measured | baseline, same run | target | run |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Machine${machines.size > 1 ? 's' : ''}: ${[...machines].join('; ')}.`,
].join('\n');

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
if (a === -1 || b === -1)
  throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> section');
writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`);
console.log(`bench: ${rows.length} figures written to README.md`);
