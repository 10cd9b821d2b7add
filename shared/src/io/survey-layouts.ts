import * as v from 'valibot';
import type { DayMonthOrder } from './survey-dates';

/** The survey tools whose export layouts cxplan recognises; `generic` is any other CSV with one header row. */
export type SurveyTool =
  | 'qualtrics'
  | 'surveymonkey'
  | 'google-forms'
  | 'typeform'
  | 'microsoft-forms'
  | 'delighted'
  | 'medallia'
  | 'generic';

/** One column of an export as the layout reads it. */
export interface SurveyColumn {
  /** What a mapping names the column by: its header, made unique (`Which plan? — Pro`, `Name (2)`). */
  key: string;
  /** What to show for it: the question text where the export has one (Qualtrics' second row), else the key. */
  label: string;
  /** The zone the export states for this column's wall-clock times (`Submit Date (UTC)`, Qualtrics' timeZone). */
  timeZone?: string;
  /** The tool's own bookkeeping (status, IP address, duration, respondent's e-mail…): never feedback or a score. */
  meta?: boolean;
  /** The tool marks it as an open-ended answer (Qualtrics `…_TEXT`, SurveyMonkey "Open-Ended Response"). */
  openEnded?: boolean;
}

/** What the start of an export says about its layout. */
export interface SurveyLayout {
  tool: SurveyTool;
  /** The tool's name, to show. */
  toolName: string;
  /** Rows at the top that are headers: 1 for a plain CSV, 2 for SurveyMonkey, 3 for Qualtrics. */
  headerRows: number;
  /** What the extra header rows are, in words (empty for a plain CSV). */
  headerRowsWhy: string;
  /** One per column of the first header row. */
  columns: SurveyColumn[];
  /** Key of the column holding the tool's response id (makes re-imports recognisable), when there is one. */
  responseId?: string;
  /** Keys of the columns holding the response's time, best first (submitted before started). */
  dateColumns: string[];
  /** The day/month order the tool writes, to suggest when a column's values do not tell. */
  dayMonthSuggestion?: DayMonthOrder;
}

/** Gives each column a key no other column has: the header, else `header (2)`, or `Column 3` for a blank one. */
function uniqueKeys(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name, i) => {
    const base = name.trim() === '' ? `Column ${i + 1}` : name.trim();
    let key = base;
    for (let n = 2; seen.has(key.toLowerCase()); n++) key = `${base} (${n})`;
    seen.add(key.toLowerCase());
    return key;
  });
}

const has = (row: readonly string[] | undefined, name: string): boolean =>
  row?.some((c) => c.trim().toLowerCase() === name.toLowerCase()) ?? false;
const find = (columns: readonly SurveyColumn[], ...names: string[]): string | undefined => {
  for (const name of names) {
    const c = columns.find((col) => col.key.toLowerCase() === name.toLowerCase());
    if (c) return c.key;
  }
  return undefined;
};

/** A header that says its times are in UTC (`Submit Date (UTC)`, `Created (GMT)`, `created_at_utc`). */
const STATES_UTC = /(\(|\b|_)(utc|gmt)(\)|\b|_|$)/i;

function plainColumns(header: readonly string[], meta: ReadonlySet<string> = new Set()): SurveyColumn[] {
  return uniqueKeys(header).map((key) => ({
    key,
    label: key,
    ...(STATES_UTC.test(key) ? { timeZone: 'UTC' } : {}),
    ...(meta.has(key.toLowerCase()) ? { meta: true } : {}),
  }));
}

const lower = (names: string[]): Set<string> => new Set(names.map((n) => n.toLowerCase()));

// Qualtrics: the third header row holds one JSON object per column, e.g. {"ImportId":"QID2_TEXT"} or
// {"ImportId":"startDate","timeZone":"America/Denver"}. Parsed with a schema: the cells are file content.
const QualtricsImportIdSchema = v.object({
  ImportId: v.string(),
  timeZone: v.optional(v.string()),
});
const QUALTRICS_META = lower([
  'StartDate',
  'EndDate',
  'Status',
  'IPAddress',
  'Progress',
  'Duration (in seconds)',
  'Finished',
  'RecordedDate',
  'ResponseId',
  'ResponseID',
  'RecipientLastName',
  'RecipientFirstName',
  'RecipientEmail',
  'ExternalReference',
  'ExternalDataReference',
  'LocationLatitude',
  'LocationLongitude',
  'DistributionChannel',
  'UserLanguage',
]);
// Computed columns: the NPS group of a score, display orders, Text iQ topics, page timers.
const QUALTRICS_DERIVED =
  /(_NPS_GROUP|_DO(_\d+)?|Topics|_First Click|_Last Click|_Page Submit|_Click Count)$/i;

function qualtricsImportId(
  cell: string | undefined,
): v.InferOutput<typeof QualtricsImportIdSchema> | undefined {
  if (cell === undefined || !cell.trim().startsWith('{')) return undefined;
  try {
    const r = v.safeParse(QualtricsImportIdSchema, JSON.parse(cell));
    return r.success ? r.output : undefined;
  } catch {
    return undefined;
  }
}

function qualtrics(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const [ids = [], texts, importIds] = rows;
  const withImportId = (importIds ?? []).filter((c) => qualtricsImportId(c) !== undefined).length;
  const filled = (importIds ?? []).filter((c) => c.trim() !== '').length;
  const threeRows = filled > 0 && withImportId >= filled / 2;
  // Older exports (and "Export Data" with the import ids switched off) have only the first two rows.
  const twoRows =
    !threeRows &&
    has(ids, 'StartDate') &&
    (has(ids, 'ResponseId') || has(ids, 'ResponseID')) &&
    has(texts, 'Start Date');
  if (!threeRows && !twoRows) return undefined;
  const keys = uniqueKeys(ids);
  const columns = keys.map((key, i): SurveyColumn => {
    const importId = threeRows ? qualtricsImportId(importIds?.[i]) : undefined;
    const zone = importId?.timeZone;
    const label = texts?.[i]?.trim() || key;
    return {
      key,
      label: label === key ? key : `${label} (${key})`,
      ...(zone === undefined ? {} : { timeZone: zone === 'Z' ? 'UTC' : zone }),
      ...(QUALTRICS_META.has(key.toLowerCase()) || QUALTRICS_DERIVED.test(key) ? { meta: true } : {}),
      ...(importId?.ImportId.endsWith('_TEXT') ? { openEnded: true } : {}),
    };
  });
  const responseId = find(columns, 'ResponseId', 'ResponseID');
  return {
    tool: 'qualtrics',
    toolName: 'Qualtrics',
    headerRows: threeRows ? 3 : 2,
    headerRowsWhy: threeRows
      ? 'column ids, then question texts, then import ids (with the time zone of the dates)'
      : 'column ids, then question texts',
    columns,
    ...(responseId === undefined ? {} : { responseId }),
    dateColumns: ['RecordedDate', 'EndDate', 'StartDate'].flatMap((n) => find(columns, n) ?? []),
  };
}

const SURVEYMONKEY_META = lower([
  'Respondent ID',
  'Collector ID',
  'Start Date',
  'End Date',
  'IP Address',
  'Email Address',
  'First Name',
  'Last Name',
]);
const SURVEYMONKEY_PLAIN_ANSWER = lower(['Response', 'Open-Ended Response', '']);

function surveyMonkey(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const [questions = [], answers] = rows;
  const known = has(questions, 'Respondent ID') && has(questions, 'Collector ID');
  const secondRowIsAnswers =
    answers !== undefined &&
    (has(answers, 'Response') || has(answers, 'Open-Ended Response')) &&
    (answers[0] ?? '').trim() === '';
  if (!known || !secondRowIsAnswers) return undefined;
  // A question with several answer columns names only the first: the others carry it on (merged cells).
  let question = '';
  const names = questions.map((q, i) => {
    if (q.trim() !== '') question = q.trim();
    const answer = (answers?.[i] ?? '').trim();
    return SURVEYMONKEY_PLAIN_ANSWER.has(answer.toLowerCase()) ? question : `${question} — ${answer}`;
  });
  const keys = uniqueKeys(names);
  const columns = keys.map(
    (key, i): SurveyColumn => ({
      key,
      label: key,
      ...(SURVEYMONKEY_META.has(key.toLowerCase()) ? { meta: true } : {}),
      ...((answers?.[i] ?? '').trim() === 'Open-Ended Response' ? { openEnded: true } : {}),
    }),
  );
  const responseId = find(columns, 'Respondent ID');
  return {
    tool: 'surveymonkey',
    toolName: 'SurveyMonkey',
    headerRows: 2,
    headerRowsWhy:
      'question texts, then the answer of each column (Response, Open-Ended Response, each choice)',
    columns,
    ...(responseId === undefined ? {} : { responseId }),
    dateColumns: ['End Date', 'Start Date'].flatMap((n) => find(columns, n) ?? []),
    dayMonthSuggestion: 'mdy',
  };
}

// Google Forms' first column, in the languages a Sheets export is most often in.
const GOOGLE_TIMESTAMP = lower([
  'Timestamp',
  'Marca temporal',
  'Zeitstempel',
  'Horodateur',
  'Carimbo de data/hora',
  'Informazioni cronologiche',
  'Tijdstempel',
]);
const GOOGLE_META = lower(['Email Address', 'Email address', 'E-Mail-Adresse', 'Adresse e-mail', 'Score']);

function googleForms(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const header = rows[0] ?? [];
  if (!GOOGLE_TIMESTAMP.has((header[0] ?? '').trim().toLowerCase())) return undefined;
  const columns = plainColumns(header, GOOGLE_META);
  return {
    tool: 'google-forms',
    toolName: 'Google Forms',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    dateColumns: [columns[0]?.key ?? 'Timestamp'],
    dayMonthSuggestion: 'mdy',
  };
}

const TYPEFORM_META = lower([
  '#',
  'Response Type',
  'Start Date (UTC)',
  'Stage Date (UTC)',
  'Submit Date (UTC)',
  'Network ID',
  'Tags',
  'ending',
]);

function typeform(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const header = rows[0] ?? [];
  if ((header[0] ?? '').trim() !== '#' || !(has(header, 'Submit Date (UTC)') || has(header, 'Network ID')))
    return undefined;
  const columns = plainColumns(header, TYPEFORM_META);
  return {
    tool: 'typeform',
    toolName: 'Typeform',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    responseId: '#',
    dateColumns: ['Submit Date (UTC)', 'Start Date (UTC)'].flatMap((n) => find(columns, n) ?? []),
  };
}

const MICROSOFT_META = lower([
  'ID',
  'Start time',
  'Completion time',
  'Email',
  'Name',
  'Last modified time',
  'Total points',
  'Quiz feedback',
]);

function microsoftForms(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const header = rows[0] ?? [];
  if (!(has(header, 'ID') && has(header, 'Start time') && has(header, 'Completion time'))) return undefined;
  const columns = plainColumns(header, MICROSOFT_META);
  const responseId = find(columns, 'ID');
  return {
    tool: 'microsoft-forms',
    toolName: 'Microsoft Forms',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    ...(responseId === undefined ? {} : { responseId }),
    dateColumns: ['Completion time', 'Start time'].flatMap((n) => find(columns, n) ?? []),
    dayMonthSuggestion: 'mdy',
  };
}

const DELIGHTED_META = lower([
  'Response ID',
  'Person ID',
  'Email',
  'Name',
  'Survey Type',
  'Permalink',
  'Created At',
  'Created',
  'Updated At',
  'Updated',
  'Tags',
  'Notes',
]);

function delighted(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const header = rows[0] ?? [];
  if (!(has(header, 'Permalink') && has(header, 'Score') && has(header, 'Comment'))) return undefined;
  const columns = plainColumns(header, DELIGHTED_META);
  const responseId = find(columns, 'Response ID', 'ID');
  return {
    tool: 'delighted',
    toolName: 'Delighted',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    ...(responseId === undefined ? {} : { responseId }),
    dateColumns: ['Created At', 'Created', 'Updated At'].flatMap((n) => find(columns, n) ?? []),
  };
}

const MEDALLIA_META = lower([
  'request_id',
  'request_sent_at',
  'request_delivery_status',
  'response_received_at',
  'reward_name',
  'ext_interaction_id',
  'external_url',
  'customer_name',
  'request_sent_to',
  'employee_first_name',
  'employee_last_name',
  'employee_email',
  'employee_custom_id',
  'employee_status',
  'employee_employment_status',
  'employee_start_date',
]);

function medallia(rows: readonly (readonly string[])[]): SurveyLayout | undefined {
  const header = rows[0] ?? [];
  if (!(has(header, 'request_id') && has(header, 'response_received_at'))) return undefined;
  // Agent Connect documents its timestamps as UTC.
  const columns = plainColumns(header, MEDALLIA_META).map((c) =>
    /_at$/.test(c.key) ? { ...c, timeZone: 'UTC' } : c,
  );
  return {
    tool: 'medallia',
    toolName: 'Medallia Agent Connect',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    responseId: 'request_id',
    dateColumns: ['response_received_at', 'request_sent_at'].flatMap((n) => find(columns, n) ?? []),
  };
}

const ID_NAME = /^(#|id|(response|respondent|submission|record|survey response|answer)[ _-]?id)$/i;
const DATE_NAME =
  /(date|time|timestamp|submitted|created|completed|received|recorded|datum|zeit|fecha|horodat|_at$)/i;
// Submission times say when the feedback was given better than start or update times.
const DATE_PREFERRED = /(submit|complet|end|record|receiv|created|timestamp|datum|^date$)/i;

function generic(rows: readonly (readonly string[])[]): SurveyLayout {
  const columns = plainColumns(rows[0] ?? []);
  const responseId = columns.find((c) => ID_NAME.test(c.key))?.key;
  const dates = columns.filter((c) => DATE_NAME.test(c.key));
  dates.sort((a, b) => Number(DATE_PREFERRED.test(b.key)) - Number(DATE_PREFERRED.test(a.key)));
  return {
    tool: 'generic',
    toolName: 'a CSV file of no known survey tool',
    headerRows: 1,
    headerRowsWhy: '',
    columns,
    ...(responseId === undefined ? {} : { responseId }),
    dateColumns: dates.map((c) => c.key),
  };
}

/**
 * Recognises a survey tool's export by the shape of its first rows (parsed, blank rows left out): Qualtrics by
 * its import-id third row, SurveyMonkey by its answer second row, Google Forms by its first "Timestamp" column,
 * Typeform by "#" and "Submit Date (UTC)", Microsoft Forms by "ID / Start time / Completion time", Delighted by
 * "Score / Comment / Permalink", Medallia Agent Connect by "request_id / response_received_at". Anything else is a
 * plain CSV with one header row.
 */
export function detectSurveyLayout(rows: readonly (readonly string[])[]): SurveyLayout {
  return (
    qualtrics(rows) ??
    surveyMonkey(rows) ??
    typeform(rows) ??
    microsoftForms(rows) ??
    googleForms(rows) ??
    delighted(rows) ??
    medallia(rows) ??
    generic(rows)
  );
}
