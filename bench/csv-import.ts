/**
 * Benchmark: CSV import of 100k-row survey exports (seeded, deterministic), fed to the incremental importer in
 * 64 KiB chunks as the Data screen streams a File. Two files:
 * - a plain CSV with ISO dates and random-ish ids (the figure recorded before survey layouts existed);
 * - a SurveyMonkey export as it comes: a second header row of answers, US `MM/DD/YYYY hh:mm:ss AM` dates read in
 *   America/New_York, a response-id column giving each row its deterministic id (file key + response id), the
 *   mapping and layout found by the core's analysis of the file's first 64 KiB.
 * Reports rows/s (median of repeated runs) and the most text the importer held back between chunks; the target is
 * ≥ 50,000 rows/s for the survey export. Run: `npx tsx bench/csv-import.ts` → bench/results/csv-import.json.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  analyzeSurveyExport,
  type CsvColumnMapping,
  type CsvImportOptions,
  createCsvImporter,
  createFileKeyHasher,
  DEFAULT_STAGES,
  importedEvidenceId,
} from '@cxplan/core';
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
const TARGET = 50_000;

const COMMENTS = [
  'Invoice was wrong again',
  '"Support took three days, then said ""try again later"""',
  '"Great onboarding, thanks!"',
  'Great onboarding, thanks!',
  '"Price went up, value did not"',
  '',
  'App crashes when I pay',
  '"Multi-line:\nfirst line\nsecond line"',
];
const SEGMENTS = ['SMB', 'Enterprise', 'Consumer'];
const STAGES = ['Pay', 'Use & Support', 'Set Up', ''];

function plainCsv(rows: number): string {
  const r = rng(7);
  const lines = ['Response ID,Submitted,NPS,Comment,Segment,Stage'];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
    // Some rows are broken on purpose, as in real exports: about 1 % have a score off the scale, and one
    // comment in eight has an unquoted comma (one field too many).
    const score = r() < 0.01 ? 12 : Math.floor(r() * 11);
    lines.push(
      `${i},2026-10-${day},${score},${COMMENTS[Math.floor(r() * COMMENTS.length)]},${SEGMENTS[i % 3]},${STAGES[i % 4]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function surveyMonkeyCsv(rows: number): string {
  const r = rng(11);
  const lines = [
    'Respondent ID,Collector ID,Start Date,End Date,How likely is it that you would recommend us to a friend or colleague?,What is the primary reason for your score?,Which plan are you on?,Stage',
    ',,,,Response,Open-Ended Response,Response,Response',
  ];
  for (let i = 0; i < rows; i++) {
    const month = 9 + Math.floor(r() * 3);
    const day = 1 + Math.floor(r() * 28);
    const h = 1 + Math.floor(r() * 12);
    const m = String(Math.floor(r() * 60)).padStart(2, '0');
    const when = `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/2026 ${String(h).padStart(2, '0')}:${m}:07 ${r() < 0.5 ? 'AM' : 'PM'}`;
    const score = r() < 0.01 ? 12 : Math.floor(r() * 11);
    lines.push(
      `${114522337781 + i},431287956,${when},${when},${score},${COMMENTS[Math.floor(r() * COMMENTS.length)]},${SEGMENTS[i % 3]},${STAGES[i % 4]}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

interface Run {
  ms: number;
  imported: number;
  rejected: number;
  maxBuffered: number;
}

function measure(csv: string, options: CsvImportOptions): Run[] {
  const results: Run[] = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const t0 = performance.now();
    const importer = createCsvImporter(options);
    let maxBuffered = 0;
    let stored = 0;
    for (let i = 0; i < csv.length; i += CHUNK) {
      stored += importer.push(csv.slice(i, i + CHUNK)).evidence.length;
      maxBuffered = Math.max(maxBuffered, importer.buffered);
    }
    stored += importer.finish().evidence.length;
    const ms = performance.now() - t0;
    if (stored !== importer.progress.imported) throw new Error('lost rows');
    // The first run warms the JIT and the time-zone cache; it is not counted.
    if (run > 0)
      results.push({
        ms,
        imported: importer.progress.imported,
        rejected: importer.progress.rejected,
        maxBuffered,
      });
  }
  return results;
}

const common = {
  scale: 'nps' as const,
  capturedBy: 'Bench',
  now: '2026-11-23T10:00:00.000Z',
  fileName: 'survey.csv',
  stages: DEFAULT_STAGES,
};

const plain = plainCsv(ROWS);
const plainRuns = measure(plain, {
  ...common,
  mapping: { text: 'Comment', score: 'NPS', date: 'Submitted', segment: 'Segment', stage: 'Stage' },
  newId: (line) => `csv-${line}`,
});

const survey = surveyMonkeyCsv(ROWS);
const analysis = analyzeSurveyExport(survey.slice(0, CHUNK), { complete: false });
if (
  analysis.layout.tool !== 'surveymonkey' ||
  analysis.suggestion.mapping.text === undefined ||
  analysis.suggestion.mapping.score === undefined
)
  throw new Error(`the bench file was not recognised: ${analysis.layout.tool}`);
const hasher = createFileKeyHasher();
hasher.update(new TextEncoder().encode(survey));
const fileKey = hasher.key();
const surveyRuns = measure(survey, {
  ...common,
  mapping: { ...(analysis.suggestion.mapping as CsvColumnMapping), stage: 'Stage' },
  scale: analysis.suggestion.scale,
  layout: analysis.layout,
  dayMonthOrder: analysis.dates?.decision.order ?? 'mdy',
  timeZone: 'America/New_York',
  newId: (_line, row) => importedEvidenceId(fileKey, row),
});

const rowsPerSecond = (runs: Run[]): number => Math.round((ROWS / median(runs.map((x) => x.ms))) * 1000);
const surveyRate = rowsPerSecond(surveyRuns);
const plainFirst = plainRuns[0] as Run;
const surveyFirst = surveyRuns[0] as Run;
const figures: Figure[] = [
  {
    what: `CSV import, ${ROWS.toLocaleString('en')} rows (${(plain.length / 2 ** 20).toFixed(1)} MiB), 64 KiB chunks, ISO dates`,
    value: Math.round(median(plainRuns.map((x) => x.ms))),
    unit: 'ms',
    stat: 'median',
  },
  {
    what: 'CSV import throughput, ISO dates',
    value: rowsPerSecond(plainRuns),
    unit: 'rows/s',
    stat: 'median',
  },
  {
    what: `survey export import, ${ROWS.toLocaleString('en')} rows (${(survey.length / 2 ** 20).toFixed(1)} MiB): SurveyMonkey layout, US 12-hour dates in America/New_York, ids from file key + response id`,
    value: Math.round(median(surveyRuns.map((x) => x.ms))),
    unit: 'ms',
    stat: 'median',
  },
  {
    what: 'survey export import throughput',
    value: surveyRate,
    unit: 'rows/s',
    stat: 'median',
    target: `≥ ${TARGET.toLocaleString('en')} rows/s`,
    met: surveyRate >= TARGET,
  },
  {
    what: 'rows imported / rejected (row errors), ISO-date file',
    value: plainFirst.imported,
    unit: 'rows',
    stat: 'count',
    note: `${plainFirst.rejected} rejected with line-numbered errors`,
  },
  {
    what: 'rows imported / rejected (row errors), survey export',
    value: surveyFirst.imported,
    unit: 'rows',
    stat: 'count',
    note: `${surveyFirst.rejected} rejected with line-numbered errors`,
  },
  {
    what: 'most text held back between chunks',
    value: Math.max(...[...plainRuns, ...surveyRuns].map((x) => x.maxBuffered)),
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
