import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeWhatwgTextDecoder } from '../../../test/harness/whatwg-text-decoder';
import type { Evidence } from '../model/evidence';
import { type CsvImportOptions, importCsvText } from './csv-import';
import type { CsvColumnMapping } from './csv-mapping';
import { createFileKeyHasher, importedEvidenceId } from './import-ids';
import { createImportPreview } from './import-preview';
import { analyzeSurveyExport, type SurveyExportAnalysis } from './survey-analysis';
import { type MakeTextDecoder, sniffTextEncoding, type TextEncodingName } from './text-encoding';

/**
 * Realistic exports of each supported tool (shared/src/testing/survey-exports, written from the tools' documented
 * formats by make-fixtures.mjs, bytes included) go through the whole core path the preview takes: encoding,
 * separator, layout, suggested mapping, date order and zone, then the import itself.
 */
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../testing/survey-exports');
// Decodes as browsers do (Node's own windows-1252 decoder is wrong: see the helper).
const makeDecoder: MakeTextDecoder = makeWhatwgTextDecoder;

interface Loaded {
  bytes: Uint8Array;
  encoding: TextEncodingName;
  text: string;
  analysis: SurveyExportAnalysis;
  fileKey: string;
}

function load(name: string): Loaded {
  const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, name)));
  const { encoding } = sniffTextEncoding(bytes, makeDecoder);
  const text = makeDecoder(encoding, { fatal: true }).decode(bytes);
  const hasher = createFileKeyHasher();
  hasher.update(bytes);
  return { bytes, encoding, text, analysis: analyzeSurveyExport(text), fileKey: hasher.key() };
}

/** Imports a loaded export the way the preview would with its suggestions (and the user's zone when unstated). */
function importSuggested(f: Loaded, over: Partial<CsvImportOptions> = {}, chunkSize?: number) {
  const { analysis } = f;
  return importCsvText(
    f.text,
    {
      mapping: analysis.suggestion.mapping as CsvColumnMapping,
      scale: analysis.suggestion.scale,
      layout: analysis.layout,
      delimiter: analysis.delimiter,
      ...(analysis.dates?.decision.order === undefined
        ? {}
        : { dayMonthOrder: analysis.dates.decision.order }),
      timeZone: 'Europe/Berlin',
      capturedBy: 'Importer',
      now: '2026-11-23T10:00:00.000Z',
      fileName: 'export.csv',
      newId: (_line, row) => importedEvidenceId(f.fileKey, row),
      ...over,
    },
    chunkSize,
  );
}

const summary = (e: Evidence) => [e.text, e.score, e.sentiment, e.origin.givenAt, e.segment];

describe('Qualtrics (three header rows, stated time zone)', () => {
  const f = load('qualtrics-nps.csv');

  it('given the export, when analysed, then the layout, the skipped rows and the mapping come from its shape', () => {
    expect(f.encoding).toBe('utf-8');
    expect(f.analysis.layout).toMatchObject({ tool: 'qualtrics', headerRows: 3 });
    // Not ResponseId for the text, not the NPS group for the score (the wrong guesses).
    expect(f.analysis.suggestion.mapping).toEqual({
      responseId: 'ResponseId',
      date: 'RecordedDate',
      text: 'Q2',
      score: 'Q1',
      segment: 'Q3',
    });
    expect(f.analysis.suggestion.scale).toBe('nps');
    expect(f.analysis.dates).toMatchObject({ statedZone: 'America/Denver', decision: { basis: 'unneeded' } });
    expect(f.analysis.layout.columns.find((c) => c.key === 'Q2')?.label).toBe(
      'What is the main reason for your score? (Q2)',
    );
  });

  it('when imported, then the header rows are no errors and times are read in Denver, not UTC nor the user zone', () => {
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.progress).toMatchObject({ rows: 6, imported: 6, rejected: 0 });
    expect(r.evidence.map(summary)).toEqual([
      ['The invoice was wrong twice and nobody called back.', 3, -2, '2026-11-02T16:14:11.000Z', 'Pro'],
      [
        'Setup took ten minutes, and support answered in the chat right away.',
        10,
        2,
        '2026-11-02T17:03:02.000Z',
        'Basic',
      ],
      [
        'Fine overall.\nThe mobile app logs me out every few days though, which is "annoying".',
        7,
        0,
        '2026-11-03T23:47:55.000Z',
        'Enterprise',
      ],
      ['(no comment) NPS score 6', 6, -1, '2026-11-04T15:21:31.000Z', 'Pro'],
      ['Delivery was on time, packaging could use less plastic.', 9, 1, '2026-11-05T20:05:44.000Z', 'Basic'],
      ['Cancelled after the price went up without notice.', 0, -2, '2026-11-07T02:31:12.000Z', 'Pro'],
    ]);
    expect(r.evidence[0]?.id).toBe(`imp-${f.fileKey}-r-R_1Fz8QvK2mXa0bcD`);
    expect(r.evidence[0]?.origin).toMatchObject({ capturedAt: '2026-11-23T10:00:00.000Z', line: 4 });
  });
});

describe('SurveyMonkey (answer row, US dates with a 12-hour clock)', () => {
  const f = load('surveymonkey-nps.csv');

  it('given the export, when analysed, then the answer row is a header row and merged questions get keys', () => {
    expect(f.analysis.layout).toMatchObject({ tool: 'surveymonkey', headerRows: 2 });
    expect(f.analysis.layout.columns.slice(-3).map((c) => c.key)).toEqual([
      'Which of our channels did you use? (Select all that apply) — Mobile app',
      'Which of our channels did you use? (Select all that apply) — Website',
      'Which of our channels did you use? (Select all that apply) — Phone support',
    ]);
    expect(f.analysis.suggestion).toMatchObject({
      mapping: {
        responseId: 'Respondent ID',
        date: 'End Date',
        text: 'What is the primary reason for your score?',
        score: 'How likely is it that you would recommend Acme to a friend or colleague?',
        segment: 'Which plan are you on?',
      },
      scale: 'nps',
    });
    // 11/13/2026 can only be month-first: the column decides.
    expect(f.analysis.dates?.decision).toEqual({ order: 'mdy', basis: 'column' });
    expect(f.analysis.dates?.statedZone).toBeUndefined();
  });

  it('when imported in the zone the user picked, then every row imports with its own time', () => {
    const r = importSuggested(f, { timeZone: 'America/New_York' });
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => [e.score, e.origin.givenAt])).toEqual([
      [2, '2026-11-02T14:14:11.000Z'],
      [9, '2026-11-02T18:07:02.000Z'],
      [5, '2026-11-14T00:47:55.000Z'],
      [10, '2026-11-14T17:01:31.000Z'],
    ]);
  });
});

describe('Google Forms (Timestamp and question texts as headers)', () => {
  const f = load('google-forms.csv');

  it('given the export, when analysed, then the reason question is the text and the timestamps are M/D/YYYY', () => {
    expect(f.analysis.layout.tool).toBe('google-forms');
    expect(f.analysis.suggestion.mapping).toEqual({
      date: 'Timestamp',
      text: 'What is the main reason for your score?',
      score: 'How likely are you to recommend Acme to a friend or colleague?',
      segment: 'Which plan are you on?',
    });
    expect(f.analysis.dates?.decision).toEqual({ order: 'mdy', basis: 'column' });
  });

  it('when imported, then no row is refused for its date and ids come from line and content', () => {
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => e.origin.givenAt)).toEqual([
      '2026-11-02T08:14:11.000Z',
      '2026-11-02T16:40:03.000Z',
      '2026-11-13T07:02:45.000Z',
      '2026-11-20T20:15:00.000Z',
    ]);
    expect(r.evidence[0]?.id).toMatch(new RegExp(`^imp-${f.fileKey}-l2-[0-9a-f]{8}$`));
  });
});

describe('Typeform (# and Submit Date (UTC))', () => {
  const f = load('typeform.csv');

  it('given the export, when analysed and imported, then the stated UTC beats the user zone', () => {
    expect(f.analysis.layout.tool).toBe('typeform');
    expect(f.analysis.suggestion.mapping).toEqual({
      responseId: '#',
      date: 'Submit Date (UTC)',
      text: "What's the main reason for your score?",
      score: 'How likely are you to recommend Acme to a friend or colleague?',
      segment: 'Which plan are you on?',
    });
    expect(f.analysis.dates?.statedZone).toBe('UTC');
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => [e.sentiment, e.origin.givenAt])).toEqual([
      [-2, '2026-11-02T09:14:11.000Z'],
      [1, '2026-11-03T14:21:40.000Z'],
      [0, '2026-11-04T18:00:52.000Z'],
    ]);
  });
});

describe('Microsoft Forms saved by Excel as Unicode text (UTF-16, tabs)', () => {
  const f = load('microsoft-forms.txt');

  it('given the bytes, when sniffed and analysed, then UTF-16, tab and a CSAT question are found', () => {
    expect(f.encoding).toBe('utf-16le');
    expect(f.analysis.delimiter).toBe('\t');
    expect(f.analysis.layout.tool).toBe('microsoft-forms');
    expect(f.analysis.suggestion).toMatchObject({
      mapping: {
        responseId: 'ID',
        date: 'Completion time',
        text: 'What could we do better?',
        score: 'How satisfied are you with our support?',
        segment: 'Which plan are you on?',
      },
      scale: 'csat',
    });
    expect(f.analysis.dates?.decision).toEqual({ order: 'mdy', basis: 'column' });
  });

  it('when imported, then two-digit years and the dash survive', () => {
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.evidence.map(summary)[0]).toEqual([
      'Answer the phone — I waited 25 minutes.',
      2,
      -1,
      '2026-11-02T08:14:11.000Z',
      'Pro',
    ]);
  });
});

describe('Excel in a German locale (Windows-1252, semicolons, DD.MM.YYYY)', () => {
  const f = load('excel-german.csv');

  it('given the bytes, when sniffed, then they are Windows-1252 and decode with their umlauts', () => {
    expect(sniffTextEncoding(f.bytes, makeDecoder)).toMatchObject({ encoding: 'windows-1252', bom: false });
    expect(f.text).toContain('zu spät');
    expect(f.text).toContain('49,90 € war „unverständlich“');
  });

  it('when analysed, then the separator, the German headers and the dotted day-first dates are understood', () => {
    expect(f.analysis.delimiter).toBe(';');
    expect(f.analysis.layout.tool).toBe('generic');
    expect(f.analysis.suggestion).toMatchObject({
      mapping: {
        date: 'Datum',
        text: 'Kommentar',
        score: 'Weiterempfehlung (0-10)',
        segment: 'Kundengruppe',
      },
      scale: 'nps',
    });
    expect(f.analysis.suggestion.mapping.responseId).toBeUndefined();
    expect(f.analysis.dates?.decision).toEqual({ order: 'dmy', basis: 'column' });
  });

  it('when imported in Berlin time, then every row imports', () => {
    const r = importSuggested(f, { timeZone: 'Europe/Berlin' });
    expect(r.errors).toEqual([]);
    expect(r.evidence.map(summary)).toEqual([
      ['Die Lieferung kam zwei Tage zu spät.', 3, -2, '2026-11-02T08:14:00.000Z', 'Privatkunde'],
      ['Schnelle Hilfe am Telefon, danke!', 9, 1, '2026-11-02T10:30:00.000Z', 'Geschäftskunde'],
      [
        'Die Rechnung über 49,90 € war „unverständlich“; bitte einfacher.',
        6,
        -1,
        '2026-11-05T15:05:00.000Z',
        'Privatkunde',
      ],
      ['Größte Auswahl, beste Preise.', 10, 2, '2026-11-13T07:45:00.000Z', 'Geschäftskunde'],
    ]);
  });

  it('given the same bytes decoded as UTF-8, then the damage is visible (why the encoding is shown and changeable)', () => {
    expect(new TextDecoder('utf-8').decode(f.bytes)).toContain('zu sp\uFFFDt');
  });
});

describe('NPS tools', () => {
  it('given a Delighted-style export, when analysed and imported, then Unix seconds are the response time', () => {
    const f = load('delighted-style.csv');
    expect(f.analysis.layout.tool).toBe('delighted');
    expect(f.analysis.suggestion).toMatchObject({
      mapping: {
        responseId: 'Response ID',
        date: 'Created At',
        text: 'Comment',
        score: 'Score',
        segment: 'Plan',
      },
      scale: 'nps',
    });
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.evidence.map(summary)).toEqual([
      ['The app crashes when I pay.', 2, -2, '2026-11-02T09:14:11.000Z', 'Pro'],
      ['Love the new dashboard.', 10, 2, '2026-11-03T10:20:00.000Z', 'Basic'],
      ['(no comment) NPS score 7', 7, 0, '2026-11-04T10:26:40.000Z', 'Enterprise'],
    ]);
  });

  it('given a Medallia Agent Connect export, when analysed and imported, then the star rating is CSAT', () => {
    const f = load('medallia-agent-connect.csv');
    expect(f.analysis.layout.tool).toBe('medallia');
    expect(f.analysis.suggestion).toMatchObject({
      mapping: {
        responseId: 'request_id',
        date: 'response_received_at',
        text: 'comments',
        score: 'star_rating',
      },
      scale: 'csat',
    });
    const r = importSuggested(f);
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => [e.sentiment, e.origin.givenAt])).toEqual([
      [-1, '2026-11-02T09:14:11.000Z'],
      [2, '2026-11-03T12:40:27.000Z'],
    ]);
  });
});

const ALL = [
  'qualtrics-nps.csv',
  'surveymonkey-nps.csv',
  'google-forms.csv',
  'typeform.csv',
  'microsoft-forms.txt',
  'excel-german.csv',
  'delighted-style.csv',
  'medallia-agent-connect.csv',
];

describe('every export', () => {
  it('given the same file imported twice, then the ids are the same; another file gives other ids', () => {
    const ids = ALL.map((name) => {
      const f = load(name);
      const first = importSuggested(f).evidence.map((e) => e.id);
      expect(importSuggested(load(name)).evidence.map((e) => e.id)).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
      return first;
    });
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
  });

  it('given any chunk size, when imported, then the result is the same (property)', () => {
    const loaded = ALL.map(load);
    const whole = loaded.map((f) => importSuggested(f));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ALL.length - 1 }),
        fc.integer({ min: 1, max: 300 }),
        (i, size) => {
          const chunked = importSuggested(loaded[i] as Loaded, {}, size);
          expect(chunked.evidence).toEqual(whole[i]?.evidence);
          expect(chunked.errors).toEqual(whole[i]?.errors);
        },
      ),
    );
  });

  it('given the preview collector, then it shows the first rows as clips or refusals in line order', () => {
    const f = load('google-forms.csv');
    const preview = createImportPreview(3, 2);
    const r = importSuggested(f, { dayMonthOrder: 'dmy' }, 40);
    preview.take(r);
    // Read day-first, 11/13/2026 and 11/20/2026 are refused; 11/2/2026 is read as 11 February.
    expect(preview.rows.map((row) => [row.line, row.evidence?.origin.givenAt, row.errors.length])).toEqual([
      [2, '2026-02-11T08:14:11.000Z', 0],
      [3, '2026-02-11T16:40:03.000Z', 0],
      [4, undefined, 1],
    ]);
    expect(preview.firstErrors.map((e) => e.message)).toEqual([
      'Line 4: date (column "Timestamp") "11/13/2026 8:02:45" is not a day/month/year date (it reads as month/day/year: check the order)',
      'Line 5: date (column "Timestamp") "11/20/2026 21:15:00" is not a day/month/year date (it reads as month/day/year: check the order)',
    ]);
    expect(preview.fileErrors).toEqual([]);
  });
});
