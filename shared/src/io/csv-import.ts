import Papa from 'papaparse';
import * as v from 'valibot';
import {
  type CustomerEvent,
  type Evidence,
  EvidenceSchema,
  type SourceKind,
  SourceKindSchema,
  type Stage,
  type Touchpoint,
} from '../model/index';
import {
  type CsvColumnMapping,
  CsvColumnMappingSchema,
  readScore,
  type ScoreScale,
  ScoreScaleSchema,
  scoreToSentiment,
} from './csv-mapping';
import type { ImportRow } from './import-ids';
import { parseWith } from './parse';
import {
  type DateColumnTally,
  type DayMonthOrder,
  emptyDateTally,
  isKnownTimeZone,
  parseSurveyDate,
} from './survey-dates';
import type { SurveyLayout } from './survey-layouts';

/** What the importer needs besides the file: the mapping, the scale, who imports, and how to name things. */
export interface CsvImportOptions {
  /** Column mapping (untrusted: parsed with {@link CsvColumnMappingSchema}). */
  mapping: CsvColumnMapping;
  /** Scale of the score column (default `none`). */
  scale?: ScoreScale;
  /** Source kind of the imported evidence (default `customer`). */
  sourceKind?: SourceKind;
  /** Name of the person importing (stored as `origin.capturedBy`). */
  capturedBy: string;
  /**
   * ISO date-time of the import: every row's `origin.capturedAt` (when it entered cxplan). The date column gives
   * `origin.givenAt`, when the customer answered.
   */
  now: string;
  /**
   * The export's layout ({@link detectSurveyLayout}): how many header rows to skip after the first, the column keys
   * the mapping names (else the first row's names) and the zones the export states for its times.
   */
  layout?: Pick<SurveyLayout, 'headerRows' | 'columns'>;
  /** Day/month order of `02/11/2026`-like dates; without it such a date that reads both ways is refused. */
  dayMonthOrder?: DayMonthOrder;
  /** IANA zone of wall-clock times when neither the value nor the export states one (default `UTC`). */
  timeZone?: string;
  /** File name, kept in `origin.file`. */
  fileName?: string;
  /** Field delimiter; guessed from the header line (`,` `;` tab `|`) when omitted. */
  delimiter?: string;
  /** Stages, events and touchpoints of the workspace: the stage/event/touchpoint columns match their id or name. */
  stages?: readonly Stage[];
  events?: readonly CustomerEvent[];
  touchpoints?: readonly Touchpoint[];
  /**
   * Id of the evidence made from the row starting at `line` (1-based); `row` also has the response id and fields,
   * for a deterministic id ({@link importedEvidenceId}) that makes a re-import recognisable.
   */
  newId: (line: number, row: ImportRow) => string;
  /** A row longer than this (characters) stops the import: almost always a quote left open (default 1,000,000). */
  maxRowChars?: number;
  /** Called after each chunk, so a UI can show progress. */
  onProgress?: (progress: CsvImportProgress) => void;
}

/** A problem with one row (or, with `line` of the header, with the file), naming the line and the column. */
export interface CsvRowError {
  /** 1-based physical line where the row starts (quoted fields may span lines). */
  line: number;
  /** The mapped field or column at fault, when there is one. */
  field?: string;
  message: string;
  /** Set when the problem stopped the import (a bad mapping, a missing column, a runaway quote), not one row. */
  fatal?: true;
}

/** Running totals of an import. */
export interface CsvImportProgress {
  /** Characters consumed so far. */
  chars: number;
  /** Data rows seen (blank lines not counted). */
  rows: number;
  imported: number;
  rejected: number;
  /** Set when the import had to stop (bad mapping, missing column, runaway quote); rows before it stand. */
  stopped: boolean;
}

/** What one chunk produced: evidence ready to store and row errors to show. */
export interface CsvBatch {
  evidence: Evidence[];
  errors: CsvRowError[];
}

/** An incremental CSV importer: feed it text chunks in order, then call `finish`. Never throws. */
export interface CsvImporter {
  /** Parses as many complete rows as the text so far holds; keeps only the unfinished last row. */
  push(chunk: string): CsvBatch;
  /** Parses what is left (the last row needs no trailing newline) and ends the import. */
  finish(): CsvBatch;
  /** The header row, once read. */
  readonly headers: readonly string[] | undefined;
  readonly progress: Readonly<CsvImportProgress>;
  /** Characters held back between chunks (the unfinished last row): what streaming keeps in memory. */
  readonly buffered: number;
  /** What the date column's values said so far about their format (to decide or check the day/month order). */
  readonly dateTally: Readonly<DateColumnTally>;
}

type Field = keyof CsvColumnMapping;
const FIELDS: readonly Field[] = [
  'text',
  'score',
  'sentiment',
  'date',
  'segment',
  'stage',
  'event',
  'touchpoint',
  'partner',
  'responseId',
];

const SEP_LINE = /^sep=(.)$/i;

function guessDelimiter(firstLine: string): string {
  // Excel's `sep=;` first line names the separator outright.
  const sep = SEP_LINE.exec(firstLine);
  if (sep) return sep[1] as string;
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = firstLine.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

function countOf(text: string, ch: string, from: number, to: number): number {
  let n = 0;
  let i = text.indexOf(ch, from);
  while (i !== -1 && i < to) {
    n++;
    i = text.indexOf(ch, i + 1);
  }
  return n;
}

function lookup<T extends { id: string; name: string }>(items: readonly T[] | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items ?? []) {
    out.set(item.name.trim().toLowerCase(), item);
    out.set(item.id.toLowerCase(), item);
  }
  return out;
}

/**
 * Creates an incremental importer of survey / NPS exports as evidence (papaparse's parser underneath).
 * The first non-blank row is the header; each later row becomes one evidence item or row errors naming the
 * line and column, while the valid rows import. Memory holds one chunk plus the unfinished row, so a UI can
 * stream a large file (e.g. `file.stream()` through a `TextDecoderStream`) without holding it whole.
 */
export function createCsvImporter(options: CsvImportOptions): CsvImporter {
  const progress: CsvImportProgress = { chars: 0, rows: 0, imported: 0, rejected: 0, stopped: false };
  const maxRow = options.maxRowChars ?? 1_000_000;
  const scale = options.scale ?? 'none';
  const stages = lookup(options.stages);
  const events = lookup(options.events);
  const touchpoints = lookup(options.touchpoints);
  let carry = '';
  let line = 1;
  let started = false;
  let finished = false;
  let newline: '\n' | '\r' | '\r\n' | undefined;
  let parser: Papa.Parser | undefined;
  let headers: string[] | undefined;
  const columns = new Map<Field, number>();
  const dateTally = emptyDateTally();
  let dateZone = options.timeZone ?? 'UTC';
  let headerRowsLeft = Math.max(0, (options.layout?.headerRows ?? 1) - 1);
  let sepLineSeen = false;
  let delimiter = ',';
  let batch: CsvBatch = { evidence: [], errors: [] };
  let rowLine = 1;
  let rowStart = 0;
  let text = '';

  let pending: CsvRowError[] = [];
  const mapping = parseWith(CsvColumnMappingSchema, options.mapping, 'mapping');
  // The scale and source kind usually come from a form: parse them too, so a bad value is a named error.
  const settings = parseWith(
    v.object({ scale: ScoreScaleSchema, sourceKind: SourceKindSchema }),
    { scale: options.scale ?? 'none', sourceKind: options.sourceKind ?? 'customer' },
    'options',
  );
  for (const r of [mapping, settings])
    if (!r.ok) {
      progress.stopped = true;
      pending.push(
        ...r.errors.map((e) => ({ line: 0, field: e.path, message: e.message, fatal: true as const })),
      );
    }
  if (options.timeZone !== undefined && !isKnownTimeZone(options.timeZone)) {
    progress.stopped = true;
    pending.push({
      line: 0,
      field: 'timeZone',
      message: `timeZone "${options.timeZone}" is not a known time zone`,
      fatal: true,
    });
  }

  const stop = (error: CsvRowError): void => {
    progress.stopped = true;
    batch.errors.push({ ...error, fatal: true });
  };

  const readHeader = (fields: string[], at: number): void => {
    headers = fields.map((f) => f.trim());
    // The layout's keys first (unique, and named for the tool's question texts), then the first row's names.
    const keys = options.layout?.columns.map((c) => c.key) ?? [];
    const index = new Map<string, number>();
    for (const names of [keys, headers])
      names.forEach((h, i) => {
        const key = h.toLowerCase();
        if (!index.has(key) && i < fields.length) index.set(key, i);
      });
    if (!mapping.ok) return;
    for (const field of FIELDS) {
      const column = mapping.value[field];
      if (column === undefined) continue;
      const i = index.get(column.toLowerCase());
      if (i === undefined) {
        stop({
          line: at,
          field,
          message: `Column "${column}" (for ${field}) is not in the header; the file has: ${headers
            .slice(0, 20)
            .map((h) => `"${h}"`)
            .join(', ')}.`,
        });
        return;
      }
      columns.set(field, i);
    }
    const dateColumn = columns.get('date');
    const stated = dateColumn === undefined ? undefined : options.layout?.columns[dateColumn]?.timeZone;
    if (stated !== undefined) dateZone = stated;
    if (!isKnownTimeZone(dateZone))
      stop({
        line: at,
        field: 'date',
        message: `The export states the time zone "${dateZone}" for column "${mapping.value.date}", which is not a known time zone.`,
      });
  };

  const readRow = (fields: string[], at: number): void => {
    const errors: CsvRowError[] = [];
    const value = (field: Field): string => {
      const i = columns.get(field);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    const fail = (field: Field, message: string): void => {
      errors.push({
        line: at,
        field,
        message: `Line ${at}: ${field} (column "${mapping.ok ? mapping.value[field] : field}") ${message}`,
      });
    };
    const responseId = value('responseId');
    const item: Record<string, unknown> = {
      id: options.newId(at, responseId === '' ? { line: at, fields } : { line: at, responseId, fields }),
      sourceKind: options.sourceKind ?? 'customer',
      drivers: [],
    };
    const origin: Record<string, unknown> = {
      capturedBy: options.capturedBy,
      capturedAt: options.now,
      via: 'import',
      line: at,
    };
    if (options.fileName !== undefined) origin.file = options.fileName;
    item.origin = origin;

    const rawScore = value('score');
    let score: number | undefined;
    if (rawScore !== '') {
      const read = readScore(rawScore);
      if (read === undefined) fail('score', `must be a number, not "${rawScore.slice(0, 40)}"`);
      else {
        score = read;
        const mapped = scoreToSentiment(score, scale);
        if (!mapped.ok) fail('score', `${mapped.message} (got ${rawScore})`);
        else {
          item.score = score;
          if (mapped.sentiment !== undefined) item.sentiment = mapped.sentiment;
        }
      }
    }
    const rawSentiment = value('sentiment');
    if (rawSentiment !== '') {
      const s = readScore(rawSentiment);
      if (s === undefined || !Number.isInteger(s) || s < -2 || s > 2)
        fail('sentiment', `must be a whole number from -2 to 2, not "${rawSentiment.slice(0, 40)}"`);
      else item.sentiment = s;
    }
    const text = value('text');
    if (text !== '') item.text = text;
    else if (score !== undefined)
      item.text = `(no comment) ${scale === 'none' ? 'score' : `${scale.toUpperCase()} score`} ${rawScore}`;
    else fail('text', 'is empty');

    const rawDate = value('date');
    if (rawDate !== '') {
      const when = parseSurveyDate(
        rawDate,
        options.dayMonthOrder === undefined
          ? { timeZone: dateZone }
          : { order: options.dayMonthOrder, timeZone: dateZone },
        dateTally,
      );
      if (!when.ok) fail('date', when.message);
      else origin.givenAt = when.iso;
    }
    const segment = value('segment');
    if (segment !== '') item.segment = segment;
    const partner = value('partner');
    if (partner !== '') item.partnerName = partner;

    const rawStage = value('stage');
    let stageId: string | undefined;
    if (rawStage !== '') {
      const stage = stages.get(rawStage.toLowerCase());
      if (!stage) fail('stage', `names no lifecycle stage: "${rawStage.slice(0, 60)}"`);
      else stageId = stage.id;
    }
    const rawEvent = value('event');
    if (rawEvent !== '') {
      const event = events.get(rawEvent.toLowerCase());
      if (!event) fail('event', `names no customer event: "${rawEvent.slice(0, 60)}"`);
      else if (stageId !== undefined && event.stageId !== stageId)
        fail('event', `"${event.name}" is not in stage "${rawStage}"`);
      else {
        item.eventId = event.id;
        stageId = event.stageId;
      }
    }
    if (stageId !== undefined) item.stageId = stageId;
    const rawTouchpoint = value('touchpoint');
    if (rawTouchpoint !== '') {
      const tp = touchpoints.get(rawTouchpoint.toLowerCase());
      if (!tp) fail('touchpoint', `names no touchpoint: "${rawTouchpoint.slice(0, 60)}"`);
      else item.touchpointId = tp.id;
    }

    if (errors.length === 0) {
      const parsed = parseWith(EvidenceSchema, item, 'evidence');
      if (parsed.ok) {
        batch.evidence.push(parsed.value);
        progress.imported++;
        return;
      }
      for (const e of parsed.errors)
        errors.push({ line: at, field: e.path, message: `Line ${at}: ${e.message}` });
    }
    batch.errors.push(...errors);
    progress.rejected++;
  };

  const onRow = (results: Papa.ParseStepResult<string[]>): void => {
    const end = results.meta.cursor;
    const at = rowLine;
    rowLine += countOf(text, newline === '\r' ? '\r' : '\n', rowStart, end);
    rowStart = end;
    if (progress.stopped) return;
    const fields = (results.data as unknown as string[][])[0] ?? (results.data as unknown as string[]);
    if (!Array.isArray(fields) || fields.every((f) => typeof f !== 'string' || f.trim() === '')) return;
    if (headers === undefined) {
      if (!sepLineSeen && SEP_LINE.test(fields.join(delimiter))) {
        sepLineSeen = true;
        return;
      }
      readHeader(fields, at);
      return;
    }
    // The layout's further header rows (SurveyMonkey's answers, Qualtrics' question texts and import ids).
    if (headerRowsLeft > 0) {
      headerRowsLeft--;
      return;
    }
    progress.rows++;
    if (results.errors.length > 0) {
      progress.rejected++;
      batch.errors.push({
        line: at,
        message: `Line ${at}: ${results.errors[0]?.message ?? 'malformed row'}`,
      });
      return;
    }
    if (fields.length !== headers.length) {
      progress.rejected++;
      batch.errors.push({
        line: at,
        message: `Line ${at}: has ${fields.length} fields but the header has ${headers.length}${
          fields.length > headers.length ? ' (a comma in unquoted text?)' : ''
        }`,
      });
      return;
    }
    readRow(fields, at);
  };

  const run = (input: string, last: boolean): void => {
    if (progress.stopped) return;
    if (!started) {
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
      const nl = input.search(/\r\n|\n|\r/);
      // A CR ending the chunk may be the first half of CRLF: wait for the next chunk before choosing the newline.
      const unsure = nl === -1 || (nl === input.length - 1 && input[nl] === '\r');
      if (unsure && !last) {
        carry = input;
        if (carry.length > maxRow)
          stop({ line: 1, message: `Line 1 is longer than ${maxRow} characters: is this a CSV file?` });
        return;
      }
      newline = nl === -1 ? '\n' : input.startsWith('\r\n', nl) ? '\r\n' : (input[nl] as '\n' | '\r');
      delimiter = options.delimiter ?? guessDelimiter(nl === -1 ? input : input.slice(0, nl));
      parser = new Papa.Parser({ delimiter, newline, step: onRow });
      started = true;
    }
    text = input;
    rowStart = 0;
    rowLine = line;
    (parser as Papa.Parser).parse(input, 0, !last);
    const consumed = last ? input.length : rowStart;
    carry = input.slice(consumed);
    line = rowLine;
    text = '';
    if (!last && carry.length > maxRow)
      stop({
        line,
        message: `Line ${line}: a row is longer than ${maxRow} characters; is a quote left open? Import stopped there.`,
      });
  };

  const step = (chunk: string, last: boolean): CsvBatch => {
    batch = { evidence: [], errors: pending };
    pending = [];
    if (finished) return batch;
    try {
      progress.chars += chunk.length;
      run(carry + chunk, last);
    } catch (e) {
      stop({
        line,
        message: `Line ${line}: the file could not be read (${e instanceof Error ? e.message : String(e)}).`,
      });
    }
    if (last) {
      finished = true;
      if (headers === undefined && !progress.stopped)
        stop({ line: 1, message: 'The file has no header row.' });
    }
    options.onProgress?.({ ...progress });
    return batch;
  };

  return {
    push: (chunk) => step(typeof chunk === 'string' ? chunk : String(chunk), false),
    finish: () => step('', true),
    get headers() {
      return headers;
    },
    get progress() {
      return progress;
    },
    get buffered() {
      return carry.length;
    },
    get dateTally() {
      return dateTally;
    },
  };
}

/** Everything an import produced. */
export interface CsvImportResult extends CsvBatch {
  progress: CsvImportProgress;
}

/** Imports CSV text held in memory, fed to the importer in chunks (tests, small files, pasted text). */
export function importCsvText(text: string, options: CsvImportOptions, chunkSize = 65_536): CsvImportResult {
  const importer = createCsvImporter(options);
  const evidence: Evidence[] = [];
  const errors: CsvRowError[] = [];
  const take = (b: CsvBatch): void => {
    for (const e of b.evidence) evidence.push(e);
    for (const e of b.errors) errors.push(e);
  };
  const size = Math.max(1, Math.floor(chunkSize));
  for (let i = 0; i < text.length && !importer.progress.stopped; i += size)
    take(importer.push(text.slice(i, i + size)));
  take(importer.finish());
  return { evidence, errors, progress: { ...importer.progress } };
}

/**
 * Imports a stream of text chunks (e.g. `file.stream().pipeThrough(new TextDecoderStream())`), handing each
 * batch to `onBatch` (to store it) so the whole file is never held; resolves with the final totals.
 */
export async function importCsvStream(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: CsvImportOptions,
  onBatch: (batch: CsvBatch) => void | Promise<void>,
): Promise<CsvImportProgress> {
  const importer = createCsvImporter(options);
  try {
    for await (const chunk of chunks) {
      await onBatch(importer.push(chunk));
      if (importer.progress.stopped) break;
    }
  } catch (e) {
    await onBatch({
      evidence: [],
      errors: [
        { line: 0, message: `Reading the file failed: ${e instanceof Error ? e.message : String(e)}` },
      ],
    });
  }
  await onBatch(importer.finish());
  return { ...importer.progress };
}
export * from './csv-mapping';
