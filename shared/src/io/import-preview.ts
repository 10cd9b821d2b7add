import type { Evidence } from '../model/evidence';
import type { CsvBatch, CsvRowError } from './csv-import';

/** One data row of the preview: the clip it will become, or why it will be refused. */
export interface PreviewRow {
  line: number;
  evidence?: Evidence;
  errors: CsvRowError[];
}

/** Collects what a preview shows from an importer's batches: the first rows and the first refusals. */
export interface ImportPreview {
  /** Feeds one batch (in order). */
  take(batch: CsvBatch): void;
  /** The first `maxRows` data rows, in line order. */
  readonly rows: readonly PreviewRow[];
  /** The first `maxErrors` row errors (any row), in line order. */
  readonly firstErrors: readonly CsvRowError[];
  /** Errors that stop the import (a missing column, a bad time zone, a runaway quote): shown apart from rows. */
  readonly fileErrors: readonly CsvRowError[];
}

/** Starts an {@link ImportPreview} keeping the first `maxRows` rows and `maxErrors` errors. */
export function createImportPreview(maxRows = 8, maxErrors = 5): ImportPreview {
  const rows: PreviewRow[] = [];
  const firstErrors: CsvRowError[] = [];
  const fileErrors: CsvRowError[] = [];
  let lastLine = 0;
  return {
    take(batch) {
      for (const e of batch.errors) {
        if (e.fatal === true) fileErrors.push(e);
        else if (firstErrors.length < maxErrors) firstErrors.push(e);
      }
      if (rows.length >= maxRows && lastLine > 0) return;
      const items: PreviewRow[] = [];
      for (const e of batch.evidence) items.push({ line: e.origin.line ?? 0, evidence: e, errors: [] });
      for (const e of batch.errors) {
        if (e.fatal === true) continue;
        const same = items.find((r) => r.line === e.line && r.evidence === undefined);
        if (same) same.errors.push(e);
        else items.push({ line: e.line, errors: [e] });
      }
      items.sort((a, b) => a.line - b.line);
      for (const item of items) {
        if (rows.length >= maxRows) break;
        if (item.line <= lastLine && rows.at(-1)?.line === item.line) {
          rows.at(-1)?.errors.push(...item.errors);
          continue;
        }
        rows.push(item);
        lastLine = item.line;
      }
    },
    get rows() {
      return rows;
    },
    get firstErrors() {
      return firstErrors;
    },
    get fileErrors() {
      return fileErrors;
    },
  };
}
