/**
 * Benchmark: CSV import of a 100k-row NPS survey export (seeded, deterministic), fed to the incremental importer
 * in 64 KiB chunks as a UI streaming a File would. Reports rows/s (median of repeated runs) and the most text
 * the importer held back between chunks. Run: `npx tsx bench/csv-import.ts` → bench/results/csv-import.json.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createCsvImporter, DEFAULT_STAGES } from '@cxplan/core';
import { type Figure, machineInfo, median, writeResult } from './lib/machine';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROWS = 100_000;
const CHUNK = 64 * 1024;
const RUNS = 7;

function makeCsv(rows: number): string {
  const r = rng(7);
  const comments = [
    'Invoice was wrong again',
    '"Support took three days, then said ""try again later"""',
    '"Great onboarding, thanks!"',
    'Great onboarding, thanks!',
    '"Price went up, value did not"',
    '',
    'App crashes when I pay',
    '"Multi-line:\nfirst line\nsecond line"',
  ];
  const segments = ['SMB', 'Enterprise', 'Consumer'];
  const stages = ['Pay', 'Use & Support', 'Set Up', ''];
  const lines = ['Response ID,Submitted,NPS,Comment,Segment,Stage'];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
    // Some rows are broken on purpose, as in real exports: about 1 % have a score off the scale, and one
    // comment in eight has an unquoted comma (one field too many).
    const score = r() < 0.01 ? 12 : Math.floor(r() * 11);
    lines.push(
      `${i},2026-10-${day},${score},${comments[Math.floor(r() * comments.length)]},${segments[i % 3]},${stages[i % 4]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const csv = makeCsv(ROWS);
const results: { ms: number; imported: number; rejected: number; maxBuffered: number }[] = [];
for (let run = 0; run < RUNS + 1; run++) {
  const t0 = performance.now();
  const importer = createCsvImporter({
    mapping: { text: 'Comment', score: 'NPS', date: 'Submitted', segment: 'Segment', stage: 'Stage' },
    scale: 'nps',
    capturedBy: 'Bench',
    now: '2026-11-23T10:00:00.000Z',
    fileName: 'survey.csv',
    stages: DEFAULT_STAGES,
    newId: (line) => `csv-${line}`,
  });
  let maxBuffered = 0;
  let stored = 0;
  for (let i = 0; i < csv.length; i += CHUNK) {
    stored += importer.push(csv.slice(i, i + CHUNK)).evidence.length;
    maxBuffered = Math.max(maxBuffered, importer.buffered);
  }
  stored += importer.finish().evidence.length;
  const ms = performance.now() - t0;
  if (stored !== importer.progress.imported) throw new Error('lost rows');
  if (run > 0)
    results.push({
      ms,
      imported: importer.progress.imported,
      rejected: importer.progress.rejected,
      maxBuffered,
    });
}

const ms = median(results.map((x) => x.ms));
const first = results[0] as (typeof results)[number];
const figures: Figure[] = [
  {
    what: `CSV import, ${ROWS.toLocaleString('en')} rows (${(csv.length / 2 ** 20).toFixed(1)} MiB), 64 KiB chunks`,
    value: Math.round(ms),
    unit: 'ms',
    stat: 'median',
  },
  { what: 'CSV import throughput', value: Math.round((ROWS / ms) * 1000), unit: 'rows/s', stat: 'median' },
  {
    what: 'rows imported / rejected (row errors)',
    value: first.imported,
    unit: 'rows',
    stat: 'count',
    note: `${first.rejected} rejected with line-numbered errors`,
  },
  {
    what: 'most text held back between chunks',
    value: Math.max(...results.map((x) => x.maxBuffered)),
    unit: 'chars',
    stat: 'max',
    note: 'the unfinished last row only',
  },
];
// Other work on the machine inflates wall-clock figures; record how busy it was (2 cores).
figures.push({
  what: 'machine load average (1 min) when the run ended',
  value: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  unit: 'runnable processes',
  stat: 'single',
});
console.log(figures.map((f) => `${f.what}: ${f.value} ${f.unit}${f.note ? ` (${f.note})` : ''}`).join('\n'));
const file = writeResult({
  benchmark: 'csv-import',
  ranAt: new Date().toISOString(),
  machine: machineInfo(false),
  runs: RUNS,
  figures,
});
console.log(`wrote ${file}`);
