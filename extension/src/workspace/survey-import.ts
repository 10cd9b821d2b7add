import {
  analyzeSurveyExport,
  type CsvColumnMapping,
  type CsvImportOptions,
  type CsvImportProgress,
  type CsvRowError,
  type CustomerEvent,
  createCsvImporter,
  createFileKeyHasher,
  createImportPreview,
  type DateColumnTally,
  type DayMonthOrder,
  type EncodingGuess,
  type Evidence,
  importedEvidenceId,
  type MakeTextDecoder,
  type PreviewRow,
  type ScoreScale,
  type SourceKind,
  type Stage,
  type SurveyExportAnalysis,
  type SurveyLayout,
  sniffTextEncoding,
  type TextEncodingName,
  type Touchpoint,
} from '@cxplan/core';

/**
 * The survey import of the Data screen, without its UI: open an export (sniff its encoding from the first bytes,
 * analyse its layout), dry-run the whole file with the chosen settings (nothing stored: the preview's rows, the
 * refusals, the date column's tally and the file's key), then import it, skipping rows already stored. The file is
 * read as a stream each time, so a large export is never held whole.
 */

/** The platform's decoder (browsers decode windows-1252 and UTF-16 per the WHATWG Encoding Standard). */
export const platformTextDecoder: MakeTextDecoder = (name, options) => new TextDecoder(name, options);

/** How much of the file the analysis reads: enough rows for the layout, mapping and date guesses. */
const SAMPLE_BYTES = 256 * 1024;

/** An export picked by the user: its first bytes and the encoding they suggest. */
export interface OpenedExport {
  file: Blob;
  fileName: string;
  sample: Uint8Array;
  /** Whether the sample is the whole file. */
  complete: boolean;
  guess: EncodingGuess;
}

/** Reads the start of a file and guesses its encoding. */
export async function openExport(
  file: Blob,
  fileName: string,
  makeDecoder: MakeTextDecoder = platformTextDecoder,
): Promise<OpenedExport> {
  const sample = new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer());
  const complete = file.size <= SAMPLE_BYTES;
  return { file, fileName, sample, complete, guess: sniffTextEncoding(sample, makeDecoder, complete) };
}

/** Analyses the start of an opened export decoded as `encoding` (with `delimiter`, else the guessed one). */
export function analyzeExport(
  opened: OpenedExport,
  encoding: TextEncodingName,
  delimiter?: string,
  makeDecoder: MakeTextDecoder = platformTextDecoder,
): SurveyExportAnalysis {
  const text = makeDecoder(encoding, { fatal: false }).decode(opened.sample, { stream: !opened.complete });
  return analyzeSurveyExport(text, {
    complete: opened.complete,
    ...(delimiter === undefined ? {} : { delimiter }),
  });
}

/** Everything the user chose in the preview. */
export interface SurveyImportSettings {
  encoding: TextEncodingName;
  delimiter: string;
  layout: SurveyLayout;
  mapping: Partial<CsvColumnMapping>;
  scale: ScoreScale;
  sourceKind: SourceKind;
  dayMonthOrder?: DayMonthOrder;
  /** The zone of wall-clock times the export does not state. */
  timeZone: string;
}

/** Who imports, when, and the workspace's names for stages, events and touchpoints. */
export interface ImportContext {
  capturedBy: string;
  now: string;
  stages: readonly Stage[];
  events: readonly CustomerEvent[];
  touchpoints: readonly Touchpoint[];
}

/** Running totals, for a progress bar. */
export interface ImportProgressReport {
  /** Share of the file's bytes read, 0–1. */
  done: number;
  progress: CsvImportProgress;
}

async function* byteChunks(file: Blob, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function importerOptions(
  settings: SurveyImportSettings,
  context: ImportContext,
  fileName: string,
  newId: CsvImportOptions['newId'],
  onProgress?: CsvImportOptions['onProgress'],
): CsvImportOptions {
  const mapping = Object.fromEntries(
    Object.entries(settings.mapping).filter(([, v]) => v !== undefined && v !== ''),
  ) as CsvColumnMapping;
  return {
    mapping,
    scale: settings.scale,
    sourceKind: settings.sourceKind,
    capturedBy: context.capturedBy,
    now: context.now,
    fileName,
    delimiter: settings.delimiter,
    layout: settings.layout,
    timeZone: settings.timeZone,
    ...(settings.dayMonthOrder === undefined ? {} : { dayMonthOrder: settings.dayMonthOrder }),
    stages: context.stages,
    events: context.events,
    touchpoints: context.touchpoints,
    newId,
    ...(onProgress === undefined ? {} : { onProgress }),
  };
}

/** What a dry run found: what the preview shows, and the file's key for the import's ids. */
export interface DryRunResult {
  /** Hash and size of the file's bytes: the first part of every imported row's id. */
  fileKey: string;
  progress: CsvImportProgress;
  /** The first rows as they will become clips (or be refused). */
  rows: readonly PreviewRow[];
  /** The first reasons rows will be refused. */
  firstErrors: readonly CsvRowError[];
  /** Problems that would stop the import (a missing column, a runaway quote). */
  fileErrors: readonly CsvRowError[];
  /** What the whole date column said about its format. */
  dateTally: DateColumnTally;
  /**
   * Set when the bytes are not valid UTF-8 (UTF-8 only). A strict run stops there (so a guessed encoding can be
   * changed before anything is shown); a lenient one goes on with "�" in their place.
   */
  badBytes: boolean;
  /** Set when the run was cancelled by a newer one. */
  cancelled: boolean;
}

/**
 * Reads the whole file with the chosen settings and stores nothing: the preview's first rows, how many rows would
 * be refused and why, the date column's tally over every row, and the file's key. UTF-8 is decoded strictly, so a
 * Windows-1252 byte past the sampled start is caught here rather than stored as "�".
 */
export async function dryRunImport(
  opened: OpenedExport,
  settings: SurveyImportSettings,
  context: ImportContext,
  options: {
    signal?: AbortSignal;
    onProgress?: (report: ImportProgressReport) => void;
    makeDecoder?: MakeTextDecoder;
    previewRows?: number;
    /** Stop at the first byte that is not valid UTF-8 (default: true; false when the user chose UTF-8). */
    strict?: boolean;
  } = {},
): Promise<DryRunResult> {
  const hasher = createFileKeyHasher();
  const utf8 = settings.encoding === 'utf-8';
  let badBytes = false;
  const strict = utf8 && options.strict !== false;
  const decoder = (options.makeDecoder ?? platformTextDecoder)(settings.encoding, { fatal: strict });
  const decode = (chunk?: Uint8Array): string => {
    const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    // A lenient UTF-8 decoder puts U+FFFD where a byte was not UTF-8.
    if (utf8 && !strict && !badBytes && text.includes('\uFFFD')) badBytes = true;
    return text;
  };
  const preview = createImportPreview(options.previewRows ?? 8, 5);
  const importer = createCsvImporter(
    importerOptions(settings, context, opened.fileName, (line) => `dry-${line}`),
  );
  let read = 0;
  try {
    for await (const chunk of byteChunks(opened.file, options.signal)) {
      hasher.update(chunk);
      read += chunk.length;
      if (!(strict && badBytes) && !importer.progress.stopped) preview.take(importer.push(decode(chunk)));
      options.onProgress?.({
        done: read / Math.max(1, opened.file.size),
        progress: { ...importer.progress },
      });
    }
    if (!(strict && badBytes)) preview.take(importer.push(decode()));
  } catch (e) {
    // The strict UTF-8 decoder throws a TypeError on the first invalid byte.
    if (e instanceof TypeError) badBytes = true;
    else throw e;
  }
  if (!(strict && badBytes)) preview.take(importer.finish());
  return {
    fileKey: hasher.key(),
    progress: { ...importer.progress },
    rows: preview.rows,
    firstErrors: preview.firstErrors,
    fileErrors: preview.fileErrors,
    dateTally: { ...importer.dateTally },
    badBytes,
    cancelled: options.signal?.aborted ?? false,
  };
}

/** What an import did: rows added, rows already there from an earlier import, rows refused and why. */
export interface ImportOutcome {
  added: number;
  alreadyImported: number;
  refused: number;
  stopped: boolean;
  /** The first row errors (at most 500). */
  errors: CsvRowError[];
}

/** Where imported evidence goes: the storage service's bulk write that skips stored ids. */
export interface EvidenceSink {
  bulkAddEvidence(rows: readonly Evidence[], options: { skipExisting: boolean }): Promise<number>;
}

/**
 * Imports the file with the chosen settings: each row's id is derived from the file's key and the row's identity
 * ({@link importedEvidenceId}), and rows whose id is already stored are counted as already imported, so importing
 * the same file twice adds nothing the second time.
 */
export async function runImport(
  opened: OpenedExport,
  settings: SurveyImportSettings,
  context: ImportContext,
  fileKey: string,
  sink: EvidenceSink,
  options: { onProgress?: (report: ImportProgressReport) => void; makeDecoder?: MakeTextDecoder } = {},
): Promise<ImportOutcome> {
  const decoder = (options.makeDecoder ?? platformTextDecoder)(settings.encoding, { fatal: false });
  const importer = createCsvImporter(
    importerOptions(settings, context, opened.fileName, (_line, row) => importedEvidenceId(fileKey, row)),
  );
  const outcome: ImportOutcome = { added: 0, alreadyImported: 0, refused: 0, stopped: false, errors: [] };
  const store = async (batch: { evidence: Evidence[]; errors: CsvRowError[] }): Promise<void> => {
    if (batch.evidence.length > 0) {
      const added = await sink.bulkAddEvidence(batch.evidence, { skipExisting: true });
      outcome.added += added;
      outcome.alreadyImported += batch.evidence.length - added;
    }
    for (const e of batch.errors) if (outcome.errors.length < 500) outcome.errors.push(e);
  };
  let read = 0;
  for await (const chunk of byteChunks(opened.file)) {
    read += chunk.length;
    await store(importer.push(decoder.decode(chunk, { stream: true })));
    options.onProgress?.({ done: read / Math.max(1, opened.file.size), progress: { ...importer.progress } });
    if (importer.progress.stopped) break;
  }
  if (!importer.progress.stopped) await store(importer.push(decoder.decode()));
  await store(importer.finish());
  outcome.refused = importer.progress.rejected;
  outcome.stopped = importer.progress.stopped;
  options.onProgress?.({ done: 1, progress: { ...importer.progress } });
  return outcome;
}
