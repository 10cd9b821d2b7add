import type { SourceKind } from '@cxplan/core';
import type { CxplanDb } from '../storage/db';
import type { EvidenceRow } from '../storage/evidence-row';

/** The inbox's filters; every one is optional and they combine with AND. */
export interface InboxFilter {
  /** Case-insensitive words to find in the clip's text or page title. */
  text?: string;
  stageId?: string;
  eventId?: string;
  sourceKind?: SourceKind;
  /** A sentiment from −2 to 2, or `none` for evidence without one. */
  sentiment?: number | 'none';
  /** Only clips nobody has tagged yet (no `taggedAt`). */
  untagged?: boolean;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** `YYYY-MM-DD`, inclusive. */
  to?: string;
  capturedBy?: string;
}

/** One page of inbox results; `more` says whether rows beyond this page match. */
export interface InboxPage {
  rows: EvidenceRow[];
  more: boolean;
}

function matcher(f: InboxFilter): (row: EvidenceRow) => boolean {
  const needle = f.text?.trim().toLowerCase() ?? '';
  const by = f.capturedBy?.trim().toLowerCase() ?? '';
  return (row) =>
    (f.stageId === undefined || row.stageId === f.stageId) &&
    (f.eventId === undefined || row.eventId === f.eventId) &&
    (f.sourceKind === undefined || row.sourceKind === f.sourceKind) &&
    (f.sentiment === undefined ||
      (f.sentiment === 'none' ? row.sentiment === undefined : row.sentiment === f.sentiment)) &&
    (f.untagged !== true || row.taggedAt === undefined) &&
    (by === '' || row.origin.capturedBy.toLowerCase().includes(by)) &&
    (needle === '' ||
      row.text.toLowerCase().includes(needle) ||
      (row.origin.title ?? '').toLowerCase().includes(needle));
}

/**
 * Untagged clips, newest first, from the `untaggedEvidence` table (kept in step with the evidence by the storage
 * layer): only those rows are read, in batches, until `want` match the other filters.
 */
async function untaggedPage(
  db: CxplanDb,
  lower: string,
  upper: string,
  match: (row: EvidenceRow) => boolean,
  want: number,
): Promise<EvidenceRow[]> {
  const ids = (await db.untaggedEvidence
    .where('capturedAt')
    .between(lower, upper, true, true)
    .reverse()
    .primaryKeys()) as string[];
  const out: EvidenceRow[] = [];
  const BATCH = 250;
  for (let at = 0; at < ids.length && out.length < want; at += BATCH) {
    const batch = await db.evidence.bulkGet(ids.slice(at, at + BATCH));
    for (const row of batch) if (row !== undefined && match(row)) out.push(row);
  }
  return out.slice(0, want);
}

/**
 * Finds one page of inbox rows, newest first, without reading the whole table: a filter on a customer event
 * uses the `eventId` index (a few dozen rows), "untagged only" the table of untagged clips; otherwise the `origin.capturedAt` index is walked backwards
 * (bounded by the date range) and the walk stops as soon as a page plus one row matched. A very selective filter
 * with no index (a word that appears nowhere) still walks every row: that is the worst case the benchmark
 * reports separately.
 */
export async function queryInbox(
  db: CxplanDb,
  filter: InboxFilter,
  offset = 0,
  pageSize = 200,
): Promise<InboxPage> {
  const match = matcher(filter);
  const want = offset + pageSize + 1;
  let rows: EvidenceRow[];
  const lower = filter.from === undefined ? '' : `${filter.from}T00:00:00`;
  const upper = filter.to === undefined ? '\uffff' : `${filter.to}T23:59:59.999\uffff`;
  if (filter.eventId !== undefined) {
    rows = (await db.evidence.where('eventId').equals(filter.eventId).toArray())
      .filter(match)
      .sort((a, b) => b.origin.capturedAt.localeCompare(a.origin.capturedAt));
  } else if (filter.untagged === true) {
    rows = await untaggedPage(db, lower, upper, match, want);
  } else {
    rows = await db.evidence
      .where('origin.capturedAt')
      .between(lower, upper, true, true)
      .reverse()
      .filter(match)
      .limit(want)
      .toArray();
  }
  if (filter.eventId !== undefined && (filter.from !== undefined || filter.to !== undefined)) {
    rows = rows.filter(
      (r) =>
        (filter.from === undefined || r.origin.capturedAt.slice(0, 10) >= filter.from) &&
        (filter.to === undefined || r.origin.capturedAt.slice(0, 10) <= filter.to),
    );
  }
  return { rows: rows.slice(offset, offset + pageSize), more: rows.length > offset + pageSize };
}
