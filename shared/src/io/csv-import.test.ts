import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGES } from '../model/index';
import { type CsvImportOptions, createCsvImporter, importCsvStream, importCsvText } from './csv-import';
import { scoreToSentiment, suggestCsvMapping } from './csv-mapping';

const options = (over: Partial<CsvImportOptions> = {}): CsvImportOptions => ({
  mapping: {
    text: 'Comment',
    score: 'NPS',
    date: 'Date',
    segment: 'Segment',
    stage: 'Stage',
    event: 'Event',
  },
  scale: 'nps',
  capturedBy: 'Importer',
  now: '2026-11-23T10:00:00.000Z',
  fileName: 'survey.csv',
  stages: DEFAULT_STAGES,
  events: [{ id: 'e-bill', stageId: 'stage-pay', name: 'Invoice is clear', drivers: [] }],
  newId: (line) => `row-${line}`,
  ...over,
});

describe('scoreToSentiment (golden)', () => {
  it.each([
    [0, -2],
    [4, -2],
    [4.9, -2],
    [5, -1],
    [6, -1],
    [7, 0],
    [8, 0],
    [9, 1],
    [10, 2],
  ])('NPS %d → %d', (score, sentiment) => {
    expect(scoreToSentiment(score, 'nps')).toEqual({ ok: true, sentiment });
  });
  it.each([
    [1, -2],
    [2, -1],
    [3, 0],
    [4, 1],
    [5, 2],
  ])('CSAT %d → %d', (score, sentiment) => {
    expect(scoreToSentiment(score, 'csat')).toEqual({ ok: true, sentiment });
  });
  it('refuses scores off the scale', () => {
    expect(scoreToSentiment(11, 'nps')).toEqual({ ok: false, message: 'must be an NPS score from 0 to 10' });
    expect(scoreToSentiment(0, 'csat')).toEqual({ ok: false, message: 'must be a CSAT score from 1 to 5' });
    expect(scoreToSentiment(3, 'none')).toEqual({ ok: true, sentiment: undefined });
  });
});

const FILE = [
  'Date,NPS,Comment,Segment,Stage,Event',
  '2026-10-01,2,"Invoice was wrong, again",SMB,Pay,Invoice is clear',
  '2026-10-02,10,"Loved it.',
  'Multi-line ""quoted"" text",Enterprise,,',
  '2026-10-03,11,Too high,SMB,,',
  'yesterday,7,Bad date,SMB,,',
  '',
  '2026-10-04,x,Bad score,SMB,Nowhere,',
  '2026-10-05,,,SMB,,',
  '2026-10-06,8,,,Set Up,Invoice is clear',
  '2026-10-07T08:30:00+02:00,9,Fine,,,',
].join('\r\n');

describe('importCsvText', () => {
  const result = importCsvText(FILE, options());

  it('imports valid rows as evidence with the mapped fields, sentiment, origin line and when it was given', () => {
    expect(result.evidence.map((e) => e.id)).toEqual(['row-2', 'row-3', 'row-11']);
    expect(result.evidence[0]).toEqual({
      id: 'row-2',
      text: 'Invoice was wrong, again',
      sourceKind: 'customer',
      origin: {
        capturedBy: 'Importer',
        // When it entered cxplan (the import) apart from when the customer answered (the date column).
        capturedAt: '2026-11-23T10:00:00.000Z',
        givenAt: '2026-10-01T00:00:00.000Z',
        via: 'import',
        file: 'survey.csv',
        line: 2,
      },
      segment: 'SMB',
      stageId: 'stage-pay',
      eventId: 'e-bill',
      sentiment: -2,
      score: 2,
      drivers: [],
    });
    expect(result.evidence[1]?.text).toBe('Loved it.\r\nMulti-line "quoted" text');
    expect(result.evidence[1]?.sentiment).toBe(2);
    expect(result.evidence[2]?.origin.givenAt).toBe('2026-10-07T06:30:00.000Z');
  });

  it('reports every bad row with its physical line number and column, while valid rows import', () => {
    expect(result.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [5, 'score', 'Line 5: score (column "NPS") must be an NPS score from 0 to 10 (got 11)'],
      [
        6,
        'date',
        'Line 6: date (column "Date") is not a date: "yesterday" (expected e.g. 2026-11-02 09:14, 11/2/2026 9:14 AM or 02.11.2026 09:14)',
      ],
      [8, 'score', 'Line 8: score (column "NPS") must be a number, not "x"'],
      [8, 'stage', 'Line 8: stage (column "Stage") names no lifecycle stage: "Nowhere"'],
      [9, 'text', 'Line 9: text (column "Comment") is empty'],
      [10, 'event', 'Line 10: event (column "Event") "Invoice is clear" is not in stage "Set Up"'],
    ]);
    expect(result.progress).toEqual({
      chars: FILE.length,
      rows: 8,
      imported: 3,
      rejected: 5,
      stopped: false,
    });
  });

  it('gives the same result whatever the chunk size (rows split across chunks)', () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const r = importCsvText(FILE, options(), size);
      expect(r.evidence).toEqual(result.evidence);
      expect(r.errors).toEqual(result.errors);
    }
  });

  it('refuses a row whose field count differs from the header', () => {
    const r = importCsvText(
      'Comment,NPS\nGreat, thanks!,9\nShort\nfine,9\n',
      options({ mapping: { text: 'Comment', score: 'NPS' } }),
    );
    expect(r.errors).toEqual([
      { line: 2, message: 'Line 2: has 3 fields but the header has 2 (a comma in unquoted text?)' },
      { line: 3, message: 'Line 3: has 1 fields but the header has 2' },
    ]);
    expect(r.evidence.map((e) => e.text)).toEqual(['fine']);
  });

  it('keeps a score-only row as evidence when the comment is empty', () => {
    const r = importCsvText('NPS,Comment\n3,\n', options({ mapping: { text: 'Comment', score: 'NPS' } }));
    expect(r.evidence.map((e) => [e.text, e.sentiment, e.score])).toEqual([
      ['(no comment) NPS score 3', -2, 3],
    ]);
  });

  it('guesses the delimiter, strips a byte-order mark and matches headers case-insensitively', () => {
    const r = importCsvText(
      '\uFEFFcomment;score\nToo slow;2\n',
      options({ mapping: { text: 'Comment', score: 'Score' }, scale: 'csat' }),
    );
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => [e.text, e.sentiment])).toEqual([['Too slow', -1]]);
  });

  it('stops with a clear error when a mapped column is missing, or the mapping is invalid', () => {
    const r = importCsvText('Feedback,Score\nx,1\n', options());
    expect(r.evidence).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 1,
        field: 'text',
        message: 'Column "Comment" (for text) is not in the header; the file has: "Feedback", "Score".',
        fatal: true,
      },
    ]);
    expect(r.progress.stopped).toBe(true);
    const bad = importCsvText('a\n', options({ mapping: { text: '' } }));
    expect(bad.errors).toEqual([
      { line: 0, field: 'text', message: 'text must name the column with the feedback text', fatal: true },
    ]);
    const badScale = importCsvText('a\n', options({ scale: 'stars' as never }));
    expect(badScale.errors).toEqual([
      { line: 0, field: 'scale', message: 'scale must be nps, csat or none', fatal: true },
    ]);
  });

  it('reports an empty file and a runaway quote without throwing', () => {
    expect(importCsvText('', options()).errors).toEqual([
      { line: 1, message: 'The file has no header row.', fatal: true },
    ]);
    const runaway = importCsvText(
      `Comment\nok\n"never closed${'x'.repeat(300)}\nmore\n`,
      options({ mapping: { text: 'Comment' }, maxRowChars: 100 }),
      50,
    );
    expect(runaway.evidence.map((e) => e.text)).toEqual(['ok']);
    expect(runaway.errors.at(-1)?.message).toBe(
      'Line 3: a row is longer than 100 characters; is a quote left open? Import stopped there.',
    );
  });

  it('reports a malformed quoted field at the end of the file as a row error', () => {
    const r = importCsvText('Comment\n"open quote at the end', options({ mapping: { text: 'Comment' } }));
    expect(r.errors).toEqual([{ line: 2, message: 'Line 2: Quoted field unterminated' }]);
  });
});

describe('streaming', () => {
  it('hands batches to the caller chunk by chunk and reports progress', async () => {
    const seen: number[] = [];
    const stored: string[] = [];
    const chunks = (async function* () {
      yield 'Comment,NPS\nfirst,9\nsec';
      yield 'ond,1\nthird,5\n';
    })();
    const totals = await importCsvStream(
      chunks,
      options({ mapping: { text: 'Comment', score: 'NPS' }, onProgress: (p) => seen.push(p.imported) }),
      (batch) => {
        for (const e of batch.evidence) stored.push(e.text);
      },
    );
    expect(stored).toEqual(['first', 'second', 'third']);
    expect(seen).toEqual([1, 3, 3]);
    expect(totals).toMatchObject({ rows: 3, imported: 3, rejected: 0 });
  });

  it('reports a failing source as an error and keeps what was imported', async () => {
    const stored: string[] = [];
    const errors: string[] = [];
    const chunks = (async function* () {
      yield 'Comment\nfirst\n';
      throw new Error('disk gone');
    })();
    const totals = await importCsvStream(chunks, options({ mapping: { text: 'Comment' } }), (batch) => {
      for (const e of batch.evidence) stored.push(e.text);
      for (const e of batch.errors) errors.push(e.message);
    });
    expect(stored).toEqual(['first']);
    expect(errors).toEqual(['Reading the file failed: disk gone']);
    expect(totals.imported).toBe(1);
  });

  it('keeps at most the unfinished row between chunks', () => {
    const importer = createCsvImporter(options({ mapping: { text: 'Comment' } }));
    importer.push('Comment\n');
    const row = 'a fairly long comment that fills the row\n';
    let imported = 0;
    let maxBuffered = 0;
    for (let i = 0; i < 1000; i++) {
      imported += importer.push(row.repeat(10) + row.slice(0, 7)).evidence.length;
      maxBuffered = Math.max(maxBuffered, importer.buffered);
    }
    // Each push ends in a 7-character unfinished row; that is all the importer holds between chunks.
    expect(maxBuffered).toBe(7);
    expect(imported).toBe(10_000);
    expect(importer.finish().evidence).toHaveLength(1);
  });
});

describe('never throws (property)', () => {
  it('on arbitrary strings, chunked arbitrarily', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (text, size) => {
          const r = importCsvText(
            text,
            options({ mapping: { text: 'Comment', score: 'NPS', date: 'Date' } }),
            size,
          );
          expect(r.progress.imported + r.progress.rejected).toBeLessThanOrEqual(r.progress.rows);
          // Not even the importer's own safety net was needed: nothing inside threw.
          expect(r.errors.filter((e) => e.message.includes('could not be read'))).toEqual([]);
        },
      ),
    );
  });

  it('on arbitrary bytes decoded as UTF-8, including CSV-shaped ones', () => {
    const csvish = fc
      .array(
        fc.constantFrom('Comment', 'NPS', ',', ';', '"', '\n', '\r', '\r\n', 'x', '7', '11', '\uFEFF', ' '),
        { maxLength: 80 },
      )
      .map((parts) => new TextEncoder().encode(parts.join('')));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), csvish), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        const r = importCsvText(text, options({ mapping: { text: 'Comment', score: 'NPS' } }), 16);
        for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(0);
        expect(r.errors.filter((e) => e.message.includes('could not be read'))).toEqual([]);
      }),
    );
  });
});

describe('chunk boundaries (property)', () => {
  it('a CRLF split between chunks is one line break (found by the property below)', () => {
    const o = options({ mapping: { text: 'Comment', score: 'NPS' } });
    expect(importCsvText('\r\n""', o, 1)).toEqual(importCsvText('\r\n""', o, Number.MAX_SAFE_INTEGER));
    const text = 'Comment,NPS\r\nLate again,2\r\nFine,9\r\n';
    for (const size of [1, 2, 11, 12, 13])
      expect(importCsvText(text, o, size)).toEqual(importCsvText(text, o, 1e9));
  });

  it('never change the result', () => {
    const csvish = fc
      .array(fc.constantFrom('Comment', 'NPS', ',', '"', '""', '\n', '\r\n', 'x', '7', '\uFEFF', ' '), {
        maxLength: 120,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(csvish, fc.integer({ min: 1, max: 40 }), (text, size) => {
        const o = options({ mapping: { text: 'Comment', score: 'NPS' } });
        const chunked = importCsvText(text, o, size);
        const whole = importCsvText(text, o, Number.MAX_SAFE_INTEGER);
        expect(chunked.evidence).toEqual(whole.evidence);
        expect(chunked.errors).toEqual(whole.errors);
      }),
    );
  });
});

describe('survey layouts, dates and row identity', () => {
  const layout = {
    headerRows: 3,
    columns: [
      { key: 'RecordedDate', label: 'Recorded Date', timeZone: 'America/Denver' },
      { key: 'ResponseId', label: 'Response ID' },
      { key: 'Q1', label: 'How likely…' },
      { key: 'Q2', label: 'Why?' },
    ],
  };
  const qualtrics = [
    'RecordedDate,ResponseId,Q1,Q2',
    'Recorded Date,Response ID,How likely…,Why?',
    '"{""ImportId"":""recordedDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"',
    '2026-11-02 09:14:11,R_abc,10 - Extremely likely,Great',
    '2026-11-02 09:15:00,R_def,"4,5",Meh',
  ].join('\n');
  const o = (over: Partial<CsvImportOptions> = {}) =>
    options({
      mapping: { text: 'Q2', score: 'Q1', date: 'RecordedDate', responseId: 'ResponseId' },
      layout,
      timeZone: 'Europe/Berlin',
      newId: (line, row) => `${line}:${row.responseId ?? '-'}:${row.fields.length}`,
      ...over,
    });

  it('given a layout with three header rows, when imported, then the two extra rows are neither rows nor errors', () => {
    const r = importCsvText(qualtrics, o());
    expect(r.errors).toEqual([]);
    expect(r.progress).toMatchObject({ rows: 2, imported: 2 });
    expect(r.evidence.map((e) => [e.id, e.score, e.sentiment, e.origin.givenAt])).toEqual([
      // The zone the export states for its column beats the one the user picked.
      ['4:R_abc:4', 10, 2, '2026-11-02T16:14:11.000Z'],
      ['5:R_def:4', 4.5, -2, '2026-11-02T16:15:00.000Z'],
    ]);
  });

  it('given a mapping naming the raw header instead of the layout key, then it still finds the column', () => {
    const r = importCsvText(qualtrics, o({ mapping: { text: 'q2' } }));
    expect(r.evidence.map((e) => e.text)).toEqual(['Great', 'Meh']);
  });

  it('given an Excel sep= line, when imported, then it names the separator and is not the header', () => {
    const r = importCsvText(
      'sep=;\r\nComment;Score\r\nzu spät;3\r\n',
      options({ mapping: { text: 'Comment' } }),
    );
    expect(r.errors).toEqual([]);
    expect(r.evidence.map((e) => [e.text, e.origin.line])).toEqual([['zu spät', 3]]);
  });

  it('given ambiguous day/month dates and no order, then those rows are refused; with an order they import', () => {
    const csv = 'Comment,Date\nfine,02/11/2026\nok,13/11/2026\n';
    const none = importCsvText(csv, options({ mapping: { text: 'Comment', date: 'Date' } }));
    expect(none.errors.map((e) => e.message)).toEqual([
      'Line 2: date (column "Date") "02/11/2026" could be day/month or month/day: choose the order',
    ]);
    const dmy = importCsvText(
      csv,
      options({ mapping: { text: 'Comment', date: 'Date' }, dayMonthOrder: 'dmy' }),
    );
    expect(dmy.evidence.map((e) => e.origin.givenAt)).toEqual([
      '2026-11-02T00:00:00.000Z',
      '2026-11-13T00:00:00.000Z',
    ]);
  });

  it('given a streaming import, then the date tally covers the whole column (to decide or check the order)', () => {
    const importer = createCsvImporter(
      options({ mapping: { text: 'Comment', date: 'Date' }, dayMonthOrder: 'mdy' }),
    );
    importer.push('Comment,Date\na,02/11/2026\nb,03/11/2026\n');
    importer.push('c,13/11/2026\n');
    importer.finish();
    expect(importer.dateTally).toMatchObject({ values: 3, ambiguous: 2, dayFirstOnly: 1 });
  });

  it('given an unknown time zone, then the import stops before any row', () => {
    const r = importCsvText(
      'Comment\nfine\n',
      options({ mapping: { text: 'Comment' }, timeZone: 'Mars/Base' }),
    );
    expect(r.evidence).toEqual([]);
    expect(r.errors).toEqual([
      { line: 0, field: 'timeZone', message: 'timeZone "Mars/Base" is not a known time zone', fatal: true },
    ]);
  });
});

describe('suggestCsvMapping', () => {
  it('given usual survey headers alone, when a mapping is suggested, then the response id is not the text', () => {
    expect(
      suggestCsvMapping([
        'Response ID',
        'Submitted at',
        'How likely to recommend?',
        'Why?',
        'Customer segment',
      ]),
    ).toEqual({
      responseId: 'Response ID',
      text: 'Why?',
      score: 'How likely to recommend?',
      date: 'Submitted at',
      segment: 'Customer segment',
    });
  });
});
