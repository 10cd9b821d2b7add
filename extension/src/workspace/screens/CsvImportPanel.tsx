import {
  type CsvColumnMapping,
  type CsvRowError,
  createCsvImporter,
  importCsvStream,
  type ScoreScale,
  type SourceKind,
  SourceKindSchema,
  suggestCsvMapping,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { personName, useWorkspace } from '../workspace-context';

const FIELDS: [keyof CsvColumnMapping, string][] = [
  ['text', 'Feedback text (required)'],
  ['score', 'Score'],
  ['sentiment', 'Sentiment (−2…2)'],
  ['date', 'Date'],
  ['segment', 'Segment'],
  ['stage', 'Lifecycle stage'],
  ['event', 'Customer event'],
  ['touchpoint', 'Touchpoint'],
  ['partner', 'Partner'],
];
const MAX_SHOWN_ERRORS = 500;

/** The file as text chunks, read piece by piece so a large export is never held whole. */
async function* textChunks(file: File): AsyncGenerator<string> {
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * CSV import of survey / NPS exports: pick a file, map its columns (suggested by the core), choose the score
 * scale, import with a progress bar. The core's importer turns rows into evidence and reports row-level errors
 * by line while the valid rows import.
 */
export function CsvImportPanel(): JSX.Element {
  const { data, snap, actingAs, reload } = useWorkspace();
  const [file, setFile] = useState<File>();
  const [headers, setHeaders] = useState<readonly string[]>([]);
  const [mapping, setMapping] = useState<Partial<CsvColumnMapping>>({});
  const [scale, setScale] = useState<ScoreScale>('none');
  const [sourceKind, setSourceKind] = useState<SourceKind>('customer');
  const [progress, setProgress] = useState<{ done: number; imported: number; rejected: number }>();
  const [errors, setErrors] = useState<CsvRowError[]>([]);
  const [summary, setSummary] = useState<string>();
  const [busy, setBusy] = useState(false);

  const pick = async (f: File | undefined): Promise<void> => {
    setFile(f);
    setErrors([]);
    setSummary(undefined);
    setProgress(undefined);
    if (f === undefined) return;
    // Read only the start of the file to learn its header row (the core's importer parses it).
    const probe = createCsvImporter({
      mapping: { text: '\u0000' },
      capturedBy: 'probe',
      now: new Date().toISOString(),
      newId: String,
    });
    probe.push(await f.slice(0, 65_536).text());
    probe.finish();
    const found = probe.headers ?? [];
    setHeaders(found);
    setMapping(suggestCsvMapping(found));
    if (found.length === 0) setSummary('This file has no header row: the first line must name the columns.');
  };

  const run = async (): Promise<void> => {
    if (file === undefined) return;
    setBusy(true);
    setErrors([]);
    const shown: CsvRowError[] = [];
    let stored = 0;
    const clean = Object.fromEntries(
      Object.entries(mapping).filter(([, v]) => v !== undefined && v !== ''),
    ) as CsvColumnMapping;
    try {
      const final = await importCsvStream(
        textChunks(file),
        {
          mapping: clean,
          scale,
          sourceKind,
          capturedBy: actingAs === undefined ? 'CSV import' : personName(snap, actingAs),
          now: new Date().toISOString(),
          fileName: file.name,
          stages: snap.stages,
          events: snap.events,
          touchpoints: snap.touchpoints,
          newId: () => crypto.randomUUID(),
          onProgress: (p) =>
            setProgress({
              done: Math.min(1, p.chars / Math.max(1, file.size)),
              imported: p.imported,
              rejected: p.rejected,
            }),
        },
        async (batch) => {
          if (batch.evidence.length > 0) stored += await data.storage.bulkAddEvidence(batch.evidence);
          for (const e of batch.errors) if (shown.length < MAX_SHOWN_ERRORS) shown.push(e);
          setErrors([...shown]);
        },
      );
      setProgress({ done: 1, imported: final.imported, rejected: final.rejected });
      setSummary(
        `${stored} rows imported, ${final.rejected} rejected${final.stopped ? ' — the import stopped early (see the first error)' : ''}.`,
      );
      await reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="csv-import">
      <label>
        CSV file{' '}
        <input type="file" accept=".csv,text/csv" onChange={(e) => void pick(e.currentTarget.files?.[0])} />
      </label>
      {headers.length > 0 && (
        <fieldset>
          <legend>Column mapping</legend>
          <div class="grid-form">
            {FIELDS.map(([field, label]) => (
              <label key={field}>
                {label}
                <br />
                <select
                  value={mapping[field] ?? ''}
                  onChange={(e) => setMapping({ ...mapping, [field]: e.currentTarget.value || undefined })}
                >
                  <option value="">— not in the file —</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label>
              Score scale
              <br />
              <select value={scale} onChange={(e) => setScale(e.currentTarget.value as ScoreScale)}>
                <option value="none">none</option>
                <option value="nps">NPS (0–10)</option>
                <option value="csat">CSAT (1–5)</option>
              </select>
            </label>
            <label>
              Source kind
              <br />
              <select value={sourceKind} onChange={(e) => setSourceKind(e.currentTarget.value as SourceKind)}>
                {SourceKindSchema.options.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
          </div>
          <button type="button" class="primary" disabled={busy} onClick={() => void run()}>
            Import
          </button>
        </fieldset>
      )}
      {progress && (
        <progress max={100} value={Math.round(progress.done * 100)} aria-label="Import progress">
          {Math.round(progress.done * 100)}%
        </progress>
      )}
      {summary && (
        <p role="status" class="import-summary">
          {summary}
        </p>
      )}
      {errors.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it (axe scrollable-region-focusable)
        <section class="table-scroll" tabIndex={0} aria-label="Rows that were not imported">
          <table class="row-errors">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e, i) => (
                <tr key={`${e.line}-${i}`}>
                  <td>{e.line}</td>
                  <td>{e.field ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
