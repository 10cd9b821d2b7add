import { readFileSync } from 'node:fs';
import { DEFAULT_STAGES, decideDayMonthOrder } from '@cxplan/core';
import { describe, expect, it } from 'vitest';
import { makeWhatwgTextDecoder } from '../../../test/harness/whatwg-text-decoder';
import { CxplanDb } from '../storage/db';
import { StorageService } from '../storage/storage-service';
import {
  analyzeExport,
  dryRunImport,
  type ImportContext,
  type OpenedExport,
  openExport,
  runImport,
  type SurveyImportSettings,
} from './survey-import';

/** The fixtures the core's tests use: realistic exports written from the tools' documented formats. */
const fixture = (name: string): Blob =>
  new Blob([readFileSync(new URL(`../../../shared/src/testing/survey-exports/${name}`, import.meta.url))]);
// Node decodes windows-1252 wrongly; browsers (where this code runs) do it right: see the helper.
const makeDecoder = makeWhatwgTextDecoder;

const context: ImportContext = {
  capturedBy: 'Ada Quinn',
  now: '2026-11-23T10:00:00.000Z',
  stages: DEFAULT_STAGES,
  events: [],
  touchpoints: [],
};

async function prepare(name: string, timeZone = 'Europe/Berlin') {
  const opened = await openExport(fixture(name), name, makeDecoder);
  const analysis = analyzeExport(opened, opened.guess.encoding, undefined, makeDecoder);
  const settings: SurveyImportSettings = {
    encoding: opened.guess.encoding,
    delimiter: analysis.delimiter,
    layout: analysis.layout,
    mapping: analysis.suggestion.mapping,
    scale: analysis.suggestion.scale,
    sourceKind: 'customer',
    timeZone,
    ...(analysis.dates?.decision.order === undefined ? {} : { dayMonthOrder: analysis.dates.decision.order }),
  };
  return { opened, analysis, settings };
}

describe('survey import (extension side)', () => {
  it('given the Qualtrics export, when dry-run, then the preview shows clips and nothing is stored', async () => {
    const db = new CxplanDb(`survey-${Math.random()}`);
    const { opened, settings } = await prepare('qualtrics-nps.csv');
    const dry = await dryRunImport(opened, settings, context, { makeDecoder });
    expect(dry.progress).toMatchObject({ rows: 6, imported: 6, rejected: 0, stopped: false });
    expect(dry.rows.map((r) => [r.line, r.evidence?.text.slice(0, 24), r.evidence?.sentiment])).toEqual([
      [4, 'The invoice was wrong tw', -2],
      [5, 'Setup took ten minutes, ', 2],
      [6, 'Fine overall.\nThe mobile', 0],
      [8, '(no comment) NPS score 6', -1],
      [9, 'Delivery was on time, pa', 1],
      [10, 'Cancelled after the pric', -2],
    ]);
    expect(dry.fileKey).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(await new StorageService(db).countEvidence()).toBe(0);
  });

  it('given the same file imported twice, then the second import adds nothing and says how many were there', async () => {
    const storage = new StorageService(new CxplanDb(`survey-${Math.random()}`));
    const { opened, settings } = await prepare('qualtrics-nps.csv');
    const { fileKey } = await dryRunImport(opened, settings, context, { makeDecoder });
    const first = await runImport(opened, settings, context, fileKey, storage, { makeDecoder });
    expect(first).toEqual({ added: 6, alreadyImported: 0, refused: 0, stopped: false, errors: [] });
    const again = await openExport(fixture('qualtrics-nps.csv'), 'renamed.csv', makeDecoder);
    const second = await runImport(again, settings, context, fileKey, storage, { makeDecoder });
    expect(second).toEqual({ added: 0, alreadyImported: 6, refused: 0, stopped: false, errors: [] });
    expect(await storage.countEvidence()).toBe(6);
    const stored = await storage.getEvidence(`imp-${fileKey}-r-R_1Fz8QvK2mXa0bcD`);
    expect(stored?.origin).toMatchObject({
      capturedBy: 'Ada Quinn',
      capturedAt: '2026-11-23T10:00:00.000Z',
      givenAt: '2026-11-02T16:14:11.000Z',
      via: 'import',
      file: 'qualtrics-nps.csv',
      line: 4,
    });
  });

  it('given the German Excel file, when opened, then Windows-1252 and ";" are found and the umlauts survive', async () => {
    const { opened, analysis, settings } = await prepare('excel-german.csv');
    expect(opened.guess.encoding).toBe('windows-1252');
    expect(analysis.delimiter).toBe(';');
    const storage = new StorageService(new CxplanDb(`survey-${Math.random()}`));
    const dry = await dryRunImport(opened, settings, context, { makeDecoder });
    expect(dry.badBytes).toBe(false);
    const outcome = await runImport(opened, settings, context, dry.fileKey, storage, { makeDecoder });
    expect(outcome.added).toBe(4);
    const texts = (await storage.readWorkspace()).evidence.map((e) => e.text).sort();
    expect(texts[0]).toBe('Die Lieferung kam zwei Tage zu spät.');
  });

  it('given Windows-1252 bytes past the sampled start, when dry-run as UTF-8, then the bad bytes are reported', async () => {
    const head = `Comment,Score\n${'fine,9\n'.repeat(40_000)}`;
    const file = new Blob([head, Uint8Array.of(0x73, 0x70, 0xe4, 0x74, 0x2c, 0x31, 0x0a)]);
    const opened: OpenedExport = await openExport(file, 'big.csv', makeDecoder);
    expect(opened.guess.encoding).toBe('utf-8');
    const analysis = analyzeExport(opened, 'utf-8', undefined, makeDecoder);
    const dry = await dryRunImport(
      opened,
      {
        encoding: 'utf-8',
        delimiter: analysis.delimiter,
        layout: analysis.layout,
        mapping: { text: 'Comment', score: 'Score' },
        scale: 'nps',
        sourceKind: 'customer',
        timeZone: 'UTC',
      },
      context,
      { makeDecoder },
    );
    expect(dry.badBytes).toBe(true);
  });

  it('given Google Forms timestamps, when the whole column is dry-run, then its tally decides M/D/YYYY', async () => {
    const { opened, settings } = await prepare('google-forms.csv');
    const dry = await dryRunImport(opened, { ...settings, dayMonthOrder: 'dmy' }, context, { makeDecoder });
    expect(dry.progress.rejected).toBe(2);
    expect(decideDayMonthOrder(dry.dateTally)).toEqual({ order: 'mdy', basis: 'column' });
  });

  it('reports progress as a share of the bytes read', async () => {
    const { opened, settings } = await prepare('typeform.csv');
    const seen: number[] = [];
    await dryRunImport(opened, settings, context, { makeDecoder, onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(1);
  });
});
