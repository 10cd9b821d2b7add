import {
  CSV_DELIMITER_NAMES,
  CSV_DELIMITERS,
  type CsvColumnMapping,
  type CsvRowError,
  type DayMonthDecision,
  type DayMonthOrder,
  dateColumnFacts,
  decideDayMonthOrder,
  type PreviewRow,
  type ScoreScale,
  SENTIMENT_WORDS,
  type SourceKind,
  SourceKindSchema,
  type SurveyExportAnalysis,
  TEXT_ENCODINGS,
  type TextEncodingName,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  analyzeExport,
  type DryRunResult,
  dryRunImport,
  type ImportContext,
  type ImportOutcome,
  type OpenedExport,
  openExport,
  runImport,
  type SurveyImportSettings,
} from '../survey-import';
import { personName, useWorkspace } from '../workspace-context';

type Field = keyof CsvColumnMapping;
/** The mapping's fields in the order a user thinks of them; the first four are what a clip shows. */
const FIELDS: [Field, string][] = [
  ['text', 'Feedback text (required)'],
  ['score', 'Score'],
  ['date', 'When it was given'],
  ['segment', 'Segment'],
  ['responseId', 'Response id (recognises re-imports)'],
];
/** Fields survey exports rarely have: folded away unless one is mapped. */
const MORE_FIELDS: [Field, string][] = [
  ['sentiment', 'Sentiment (−2…2)'],
  ['stage', 'Lifecycle stage'],
  ['event', 'Customer event'],
  ['touchpoint', 'Touchpoint'],
  ['partner', 'Partner'],
];

/** This browser's time zone: the default for times an export does not place in one. */
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])].sort((a, b) =>
    a === 'UTC' ? -1 : b === 'UTC' ? 1 : a < b ? -1 : 1,
  );
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** `2026-11-02 09:14` in the given zone: the time as the export wrote it. */
function inZone(iso: string, zone: string): string {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const short = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function settingsFrom(
  analysis: SurveyExportAnalysis,
  encoding: TextEncodingName,
  keep: Pick<SurveyImportSettings, 'sourceKind' | 'timeZone'>,
): SurveyImportSettings {
  const order = analysis.dates?.decision.order;
  return {
    encoding,
    delimiter: analysis.delimiter,
    layout: analysis.layout,
    mapping: analysis.suggestion.mapping,
    scale: analysis.suggestion.scale,
    ...keep,
    ...(order === undefined ? {} : { dayMonthOrder: order }),
  };
}

function orderHint(decision: DayMonthDecision | undefined, chosen: boolean): string {
  if (chosen) return 'As you chose.';
  switch (decision?.basis) {
    case 'column':
      return 'Decided from the whole column: some dates can only be read this way.';
    case 'dots':
      return 'Dates written with dots are day first.';
    case 'conflict':
      return 'The column mixes both orders: rows of the other order will be refused.';
    case 'ask':
      return 'Every date in the file reads both ways: please check which is meant.';
    default:
      return '';
  }
}

/**
 * Survey import with a preview: pick an export; the core reads its encoding, separator, tool layout and header
 * rows and suggests a mapping; a dry run over the whole file shows the first rows as they will become clips and
 * how many will be refused, and why — nothing is stored until Import. The encoding, separator, mapping, day/month
 * order and time zone can all be changed, and each change runs the preview again.
 */
export function CsvImportPanel(): JSX.Element {
  const { data, snap, actingAs, reload } = useWorkspace();
  const [opened, setOpened] = useState<OpenedExport>();
  const [analysis, setAnalysis] = useState<SurveyExportAnalysis>();
  const [settings, setSettings] = useState<SurveyImportSettings>();
  const [encodingChosen, setEncodingChosen] = useState(false);
  const [encodingNote, setEncodingNote] = useState<string>();
  const [orderChosen, setOrderChosen] = useState(false);
  const [dry, setDry] = useState<DryRunResult>();
  const [dryDone, setDryDone] = useState(0);
  const [importing, setImporting] = useState<number>();
  const [outcome, setOutcome] = useState<ImportOutcome>();
  const [problem, setProblem] = useState<string>();
  const generation = useRef(0);

  const context = (): ImportContext => ({
    capturedBy: actingAs === undefined ? 'Survey import' : personName(snap, actingAs),
    now: new Date().toISOString(),
    stages: snap.stages,
    events: snap.events,
    touchpoints: snap.touchpoints,
  });

  const reanalyze = (o: OpenedExport, encoding: TextEncodingName, delimiter?: string): void => {
    const a = analyzeExport(o, encoding, delimiter);
    setAnalysis(a);
    setOrderChosen(false);
    setSettings((s) =>
      settingsFrom(a, encoding, {
        sourceKind: s?.sourceKind ?? 'customer',
        timeZone: s?.timeZone ?? browserZone(),
      }),
    );
  };

  const pick = async (file: File | undefined): Promise<void> => {
    generation.current++;
    setOpened(undefined);
    setAnalysis(undefined);
    setSettings(undefined);
    setDry(undefined);
    setOutcome(undefined);
    setProblem(undefined);
    setEncodingChosen(false);
    setEncodingNote(undefined);
    if (file === undefined) return;
    if (file.size === 0) {
      setProblem('This file is empty.');
      return;
    }
    const o = await openExport(file, file.name);
    setOpened(o);
    reanalyze(o, o.guess.encoding);
  };

  // Every change of the settings runs the preview again over the whole file (the newest run wins).
  useEffect(() => {
    if (opened === undefined || settings === undefined) return;
    const mine = ++generation.current;
    const abort = new AbortController();
    setDryDone(0);
    const timer = setTimeout(() => {
      void dryRunImport(opened, settings, context(), {
        signal: abort.signal,
        // A guessed UTF-8 is checked strictly (to switch to Windows-1252); a chosen one is shown as it reads.
        strict: !encodingChosen,
        onProgress: (p) => {
          if (generation.current === mine) setDryDone(p.done);
        },
      }).then((result) => {
        if (generation.current !== mine || result.cancelled) return;
        if (result.badBytes && settings.encoding === 'utf-8' && !encodingChosen) {
          // The sampled start looked like UTF-8 but a later byte is not: Excel's Windows-1252, most likely.
          setEncodingNote('Bytes further into the file are not valid UTF-8: read as Windows-1252 instead.');
          reanalyze(opened, 'windows-1252', settings.delimiter);
          return;
        }
        // The whole column may decide a day/month order the sampled rows left open (or got wrong); when it
        // cannot, its suggestion is preselected and the question shown.
        if (!orderChosen && settings.mapping.date !== undefined) {
          const decision = decideDayMonthOrder(result.dateTally, settings.layout.dayMonthSuggestion);
          const decided = decision.basis === 'column' || decision.basis === 'dots';
          if (
            decision.order !== undefined &&
            decision.order !== settings.dayMonthOrder &&
            (decided || settings.dayMonthOrder === undefined)
          ) {
            setSettings({ ...settings, dayMonthOrder: decision.order });
            return;
          }
        }
        setDry(result);
      });
    }, 120);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [opened, settings]);

  const dateFacts = useMemo(() => {
    const key = settings?.mapping.date;
    if (analysis === undefined || settings === undefined || key === undefined) return undefined;
    const facts = dateColumnFacts(settings.layout, analysis.dataRows, key);
    if (facts === undefined) return undefined;
    // The dry run has read the whole column: its tally is the one to decide by.
    if (dry === undefined) return facts;
    return {
      ...facts,
      tally: dry.dateTally,
      decision: decideDayMonthOrder(dry.dateTally, settings.layout.dayMonthSuggestion),
    };
  }, [analysis, settings, dry]);

  if (opened === undefined || analysis === undefined || settings === undefined)
    return (
      <div class="survey-import">
        <p class="muted">
          Exports of Qualtrics, SurveyMonkey, Google Forms, Typeform, Microsoft Forms and NPS tools such as
          Delighted or Medallia are recognised; any other CSV works too. You see a preview before anything is
          stored.
        </p>
        <p class="muted">
          What a file needs: one row per response, a first row naming the columns, and a column with the
          customer’s own words (the comment). Optional columns are mapped too: a score (NPS 0–10 or CSAT 1–5),
          the response date, the respondent or account, and a sentiment, stage, event, touchpoint or partner.
          You pick or correct the mapping after choosing the file.
        </p>
        <label>
          Survey export file{' '}
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
            onChange={(e) => void pick(e.currentTarget.files?.[0])}
          />
        </label>
        {problem && <p class="notice error">{problem}</p>}
      </div>
    );

  const layout = settings.layout;
  const zoneList = zones(settings.timeZone);
  const statedZone = dateFacts?.statedZone;
  const zone = statedZone ?? settings.timeZone;
  const needsOrder =
    dateFacts !== undefined &&
    dateFacts.tally.dayFirstOnly + dateFacts.tally.monthFirstOnly + dateFacts.tally.ambiguous > 0;
  const update = (patch: Partial<SurveyImportSettings>): void => {
    setOutcome(undefined);
    setSettings({ ...settings, ...patch });
  };
  const setField = (field: Field, key: string): void => {
    const mapping = { ...settings.mapping, [field]: key === '' ? undefined : key };
    const patch: Partial<SurveyImportSettings> = { mapping };
    if (field === 'date' && !orderChosen) {
      const facts = key === '' ? undefined : dateColumnFacts(layout, analysis.dataRows, key);
      if (facts?.decision.order !== undefined) patch.dayMonthOrder = facts.decision.order;
    }
    update(patch);
  };
  const label = (key: string | undefined): string =>
    key === undefined ? '' : (layout.columns.find((c) => c.key === key)?.label ?? key);
  const mappingField = ([field, name]: [Field, string]): JSX.Element => {
    const hint =
      analysis.suggestion.why[field] !== undefined &&
      analysis.suggestion.mapping[field] === settings.mapping[field]
        ? analysis.suggestion.why[field]
        : undefined;
    // The hint describes the select rather than naming it, so the field's name stays its label.
    return (
      <div key={field} class="mapping-field">
        <label for={`map-${field}`}>{name}</label>
        <select
          id={`map-${field}`}
          value={settings.mapping[field] ?? ''}
          title={label(settings.mapping[field])}
          aria-describedby={hint === undefined ? undefined : `map-${field}-why`}
          onChange={(e) => setField(field, e.currentTarget.value)}
        >
          <option value="">— not in the file —</option>
          {layout.columns.map((c) => (
            <option key={c.key} value={c.key}>
              {short(c.label, 70)}
            </option>
          ))}
        </select>
        {hint !== undefined && (
          <span id={`map-${field}-why`} class="muted">
            {hint}
          </span>
        )}
      </div>
    );
  };
  const moreMapped = MORE_FIELDS.some(([f]) => settings.mapping[f] !== undefined);
  const ready = dry !== undefined && settings.mapping.text !== undefined && dry.fileErrors.length === 0;

  const doImport = async (): Promise<void> => {
    if (dry === undefined) return;
    setImporting(0);
    setOutcome(undefined);
    try {
      const result = await runImport(opened, settings, context(), dry.fileKey, data.storage, {
        onProgress: (p) => setImporting(p.done),
      });
      setOutcome(result);
      await reload();
    } finally {
      setImporting(undefined);
    }
  };

  return (
    <div class="survey-import">
      <label>
        Survey export file{' '}
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
          onChange={(e) => void pick(e.currentTarget.files?.[0])}
        />
      </label>
      <section class="import-facts" aria-label="How the file is read">
        <p>
          <strong>{opened.fileName}</strong>:{' '}
          {layout.tool === 'generic' ? (
            <>no known survey tool; the first row names the columns.</>
          ) : (
            <>
              a <strong>{layout.toolName}</strong> export
              {layout.headerRows > 1
                ? `; ${layout.headerRows - 1} more header row${layout.headerRows > 2 ? 's' : ''} skipped (${layout.headerRowsWhy}).`
                : '.'}
            </>
          )}
        </p>
        <div class="inline-form">
          <div class="stacked-field">
            <label for="import-encoding">Encoding</label>
            <select
              id="import-encoding"
              value={settings.encoding}
              aria-describedby="import-encoding-why"
              onChange={(e) => {
                setEncodingChosen(true);
                setEncodingNote(undefined);
                reanalyze(opened, e.currentTarget.value as TextEncodingName, settings.delimiter);
              }}
            >
              {TEXT_ENCODINGS.map((enc) => (
                <option key={enc.name} value={enc.name}>
                  {enc.label}
                </option>
              ))}
            </select>
          </div>
          <div class="stacked-field">
            <label for="import-separator">Separator</label>
            <select
              id="import-separator"
              value={settings.delimiter}
              onChange={(e) => reanalyze(opened, settings.encoding, e.currentTarget.value)}
            >
              {CSV_DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {CSV_DELIMITER_NAMES[d]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p id="import-encoding-why" class={dry?.badBytes === true ? 'notice error' : 'muted'}>
          {dry?.badBytes === true
            ? 'Some bytes are not valid UTF-8 and show as “�”: the file is probably Windows-1252.'
            : (encodingNote ??
              (encodingChosen ? 'Encoding as you chose.' : `Encoding detected: ${opened.guess.why}.`))}
        </p>
      </section>

      <div class="import-grid">
        <fieldset class="import-mapping">
          <legend>Column mapping</legend>
          {FIELDS.slice(0, 2).map(mappingField)}
          <div class="mapping-field">
            <label for="map-scale">Score scale</label>
            <select
              id="map-scale"
              value={settings.scale}
              aria-describedby={analysis.suggestion.scale === settings.scale ? 'map-scale-why' : undefined}
              onChange={(e) => update({ scale: e.currentTarget.value as ScoreScale })}
            >
              <option value="none">none (keep the score, no sentiment)</option>
              <option value="nps">NPS (0–10)</option>
              <option value="csat">CSAT (1–5)</option>
            </select>
            {analysis.suggestion.why.scale !== undefined && analysis.suggestion.scale === settings.scale && (
              <span id="map-scale-why" class="muted">
                {analysis.suggestion.why.scale}
              </span>
            )}
          </div>
          {FIELDS.slice(2).map(mappingField)}
          <label class="mapping-field">
            Source kind
            <select
              value={settings.sourceKind}
              onChange={(e) => update({ sourceKind: e.currentTarget.value as SourceKind })}
            >
              {SourceKindSchema.options.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <details open={moreMapped}>
            <summary>More columns (sentiment, stage, event, touchpoint, partner)</summary>
            {MORE_FIELDS.map(mappingField)}
          </details>
        </fieldset>

        <section class="import-preview" aria-labelledby="import-preview-title">
          <h3 id="import-preview-title">Preview: the first rows as they will become clips</h3>
          {settings.mapping.date !== undefined && (
            <fieldset class="import-dates">
              <legend>Dates</legend>
              {needsOrder && (
                <div class="stacked-field">
                  <label for="import-day-month">Day/month order</label>
                  <select
                    id="import-day-month"
                    value={settings.dayMonthOrder ?? ''}
                    aria-describedby="import-day-month-why"
                    onChange={(e) => {
                      setOrderChosen(true);
                      update({
                        dayMonthOrder: (e.currentTarget.value || undefined) as DayMonthOrder | undefined,
                      });
                    }}
                  >
                    <option value="mdy">Month first (11/2/2026 is 2 November)</option>
                    <option value="dmy">Day first (11/2/2026 is 11 February)</option>
                  </select>
                  <span
                    id="import-day-month-why"
                    class={
                      !orderChosen &&
                      (dateFacts?.decision.basis === 'ask' || dateFacts?.decision.basis === 'conflict')
                        ? 'ask'
                        : 'muted'
                    }
                  >
                    {orderHint(dateFacts?.decision, orderChosen)}
                  </span>
                </div>
              )}
              {statedZone !== undefined ? (
                <p>
                  Times are in <strong>{statedZone}</strong>, as the export states.
                </p>
              ) : (
                <div class="stacked-field">
                  <label for="import-zone">Time zone of the times in the file</label>
                  <select
                    id="import-zone"
                    value={settings.timeZone}
                    aria-describedby="import-zone-why"
                    onChange={(e) => update({ timeZone: e.currentTarget.value })}
                  >
                    {zoneList.map((z) => (
                      <option key={z}>{z}</option>
                    ))}
                  </select>
                  <span id="import-zone-why" class="muted">
                    The export does not say; this browser's zone is the default.
                  </span>
                </div>
              )}
            </fieldset>
          )}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it (axe scrollable-region-focusable) */}
          <section class="table-scroll" tabIndex={0} aria-label="Preview rows">
            <table class="preview-rows">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Feedback</th>
                  <th scope="col">Sentiment</th>
                  <th scope="col">Given ({zone})</th>
                  <th scope="col">Segment</th>
                </tr>
              </thead>
              <tbody>
                {(dry?.rows ?? []).map((row) => (
                  <PreviewLine key={row.line} row={row} zone={zone} scale={settings.scale} />
                ))}
              </tbody>
            </table>
          </section>
          <ImportCounts dry={dry} done={dryDone} />
          <div class="import-go">
            <button
              type="button"
              class="primary"
              disabled={!ready || importing !== undefined}
              onClick={() => void doImport()}
            >
              {dry === undefined ? 'Import' : `Import ${dry.progress.imported} rows`}
            </button>
            {importing !== undefined && (
              <progress max={100} value={Math.round(importing * 100)} aria-label="Import progress">
                {Math.round(importing * 100)}%
              </progress>
            )}
          </div>
          {outcome && <Outcome outcome={outcome} />}
        </section>
      </div>
    </div>
  );
}

function PreviewLine({
  row,
  zone,
  scale,
}: {
  row: PreviewRow;
  zone: string;
  scale: ScoreScale;
}): JSX.Element {
  const e = row.evidence;
  if (e === undefined)
    return (
      <tr class="refused">
        <td>{row.line}</td>
        <td colSpan={4}>
          <strong>Refused:</strong> {row.errors.map((x) => x.message.replace(/^Line \d+: /, '')).join('; ')}
        </td>
      </tr>
    );
  const score = e.score === undefined ? '' : `${scale === 'none' ? 'score' : scale.toUpperCase()} ${e.score}`;
  return (
    <tr>
      <td>{row.line}</td>
      <td class="preview-text">{short(e.text, 160)}</td>
      <td>
        <span class="nowrap">
          {e.sentiment === undefined
            ? '—'
            : `${e.sentiment > 0 ? '+' : e.sentiment < 0 ? '−' : ''}${Math.abs(e.sentiment)} ${SENTIMENT_WORDS[e.sentiment]}`}
        </span>
        {score !== '' && (
          <>
            {' '}
            <span class="muted nowrap">{score}</span>
          </>
        )}
      </td>
      <td title={e.origin.givenAt}>
        {e.origin.givenAt === undefined ? '—' : inZone(e.origin.givenAt, zone)}
      </td>
      <td>{e.segment ?? '—'}</td>
    </tr>
  );
}

function ImportCounts({ dry, done }: { dry: DryRunResult | undefined; done: number }): JSX.Element {
  if (dry === undefined)
    return (
      <p class="import-counts" role="status">
        Reading the file… {Math.round(done * 100)}%
      </p>
    );
  const { imported, rejected } = dry.progress;
  return (
    <div class="import-counts">
      <p role="status">
        <strong>{imported}</strong> row{imported === 1 ? '' : 's'} will become clips;{' '}
        <strong>{rejected}</strong> will be refused.
      </p>
      {dry.fileErrors.length > 0 && (
        <ul class="form-errors" role="alert">
          {dry.fileErrors.map((e) => (
            <li key={e.message}>{e.message}</li>
          ))}
        </ul>
      )}
      {dry.firstErrors.length > 0 && (
        <>
          <p>First reasons:</p>
          <ul class="refusals">
            {dry.firstErrors.map((e, i) => (
              <li key={`${e.line}-${i}`}>{e.message}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Outcome({ outcome }: { outcome: ImportOutcome }): JSX.Element {
  const errors: CsvRowError[] = outcome.errors;
  return (
    <>
      <p role="status" class="import-summary">
        {outcome.added} rows imported, {outcome.alreadyImported} already imported before (skipped),{' '}
        {outcome.refused} refused
        {outcome.stopped ? ' — the import stopped early (see the first error)' : ''}.
      </p>
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
    </>
  );
}
