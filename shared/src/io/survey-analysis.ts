import { type MappingSuggestion, suggestSurveyMapping } from './csv-mapping';
import { sampleCsv } from './csv-sample';
import {
  type DateColumnTally,
  type DayMonthDecision,
  decideDayMonthOrder,
  emptyDateTally,
  tallyDate,
} from './survey-dates';
import { detectSurveyLayout, type SurveyLayout } from './survey-layouts';

/** What the values of the chosen date column say: the day/month order and the zone the export states, if any. */
export interface DateColumnFacts {
  tally: DateColumnTally;
  decision: DayMonthDecision;
  /** The zone the export states for this column (Qualtrics' timeZone, a `(UTC)` header); else the user picks. */
  statedZone?: string;
}

/** What the start of an export says: separator, tool layout, suggested mapping, and what its dates need. */
export interface SurveyExportAnalysis {
  delimiter: string;
  /** Whether an Excel `sep=` line named the separator. */
  delimiterFromSepLine: boolean;
  layout: SurveyLayout;
  suggestion: MappingSuggestion;
  /** Facts about the suggested date column (undefined when none is suggested). */
  dates?: DateColumnFacts;
  /** The sample's data rows (after the header rows), as read. */
  dataRows: string[][];
}

/** Reads what one column's sampled values say about their dates (see {@link decideDayMonthOrder}). */
export function dateColumnFacts(
  layout: SurveyLayout,
  dataRows: readonly (readonly string[])[],
  key: string,
): DateColumnFacts | undefined {
  const i = layout.columns.findIndex((c) => c.key === key);
  if (i === -1) return undefined;
  const tally = emptyDateTally();
  for (const row of dataRows) tallyDate(tally, row[i] ?? '');
  const statedZone = layout.columns[i]?.timeZone;
  return {
    tally,
    decision: decideDayMonthOrder(tally, layout.dayMonthSuggestion),
    ...(statedZone === undefined ? {} : { statedZone }),
  };
}

/**
 * Analyses the start of an export (decoded text; `complete: false` when it is only the first part of the file):
 * the separator, the tool's layout and header rows, a suggested mapping and scale, and the date column's order
 * and zone. The preview shows all of it and lets the user change each.
 */
export function analyzeSurveyExport(
  text: string,
  options: { delimiter?: string; complete?: boolean; maxRows?: number } = {},
): SurveyExportAnalysis {
  const sample = sampleCsv(text, {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    complete: options.complete ?? true,
    maxRows: options.maxRows ?? 200,
  });
  const layout = detectSurveyLayout(sample.rows);
  const dataRows = sample.rows.slice(layout.headerRows);
  const suggestion = suggestSurveyMapping(layout, dataRows);
  const date = suggestion.mapping.date;
  const dates = date === undefined ? undefined : dateColumnFacts(layout, dataRows, date);
  return {
    delimiter: sample.delimiter,
    delimiterFromSepLine: sample.fromSepLine,
    layout,
    suggestion,
    ...(dates === undefined ? {} : { dates }),
    dataRows,
  };
}
