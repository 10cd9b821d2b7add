import Papa from 'papaparse';

/** The separators survey exports use: comma, semicolon (Excel in locales with a decimal comma), tab, pipe. */
export const CSV_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/** Names of the separators, for a form. */
export const CSV_DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ',': 'comma (,)',
  ';': 'semicolon (;)',
  '\t': 'tab',
  '|': 'pipe (|)',
};

/** The first rows of a CSV text and the separator they were read with. */
export interface CsvSample {
  delimiter: string;
  /** Whether the separator came from an Excel `sep=` line (which the rows leave out). */
  fromSepLine: boolean;
  /** The rows read (blank rows left out), without a last row the sample may have cut. */
  rows: string[][];
}

const SEP_LINE = /^sep=(.)\r?\n/i;

/**
 * Reads the first rows of an export (its first few kilobytes, say) to learn its shape. The separator is the
 * given one, else the one an Excel `sep=;` first line names, else papaparse's guess among {@link CSV_DELIMITERS}
 * (the one that splits the first rows into the same, largest number of fields). When `complete` is false the
 * last row is dropped: the sample may end in the middle of it.
 */
export function sampleCsv(
  text: string,
  options: { delimiter?: string; maxRows?: number; complete?: boolean } = {},
): CsvSample {
  let input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = SEP_LINE.exec(input);
  if (sep) input = input.slice(sep[0].length);
  const delimiter = options.delimiter ?? sep?.[1] ?? '';
  const parsed = Papa.parse<string[]>(input, {
    delimiter,
    delimitersToGuess: [...CSV_DELIMITERS],
    preview: (options.maxRows ?? 50) + 1,
    skipEmptyLines: 'greedy',
  });
  const rows = parsed.data.filter((r) => Array.isArray(r));
  const cut = options.complete === false || rows.length > (options.maxRows ?? 50);
  if (cut && rows.length > 1) rows.pop();
  // Papaparse falls back to a comma when no candidate splits the rows (a one-column file).
  const found = parsed.meta.delimiter;
  return {
    delimiter: CSV_DELIMITERS.includes(found) ? found : ',',
    fromSepLine: sep !== null && options.delimiter === undefined,
    rows: rows.map((r) => r.map((f) => (typeof f === 'string' ? f : ''))),
  };
}
