import type { SourceKind } from '@cxplan/core';
import type { CxplanDb } from '../storage/db';
import type { EvidenceRow } from '../storage/evidence-row';
import { matchesSearch, searchWords } from '../storage/search-words';

/** A row as IndexedDB returns it: with the words the storage layer indexed (see evidence-derived.ts). */
type StoredRow = EvidenceRow & { searchWords?: string[] };

/**
 * Above this many index entries for the typed word, walking the newest rows finds a page sooner than reading
 * every candidate (the word is common, so matches are dense); at or below it the index is cheaper.
 */
const WORD_INDEX_LIMIT = 4_000;

/** The inbox's filters; every one is optional and they combine with AND. */
export interface InboxFilter {
  /** Words to find in the clip's text or page title: each typed word must start a word there (any case, any order). */
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
  const typed = searchWords(f.text);
  const by = f.capturedBy?.trim().toLowerCase() ?? '';
  return (row) =>
    (f.stageId === undefined || row.stageId === f.stageId) &&
    (f.eventId === undefined || row.eventId === f.eventId) &&
    (f.sourceKind === undefined || row.sourceKind === f.sourceKind) &&
    (f.sentiment === undefined ||
      (f.sentiment === 'none' ? row.sentiment === undefined : row.sentiment === f.sentiment)) &&
    (f.untagged !== true || row.taggedAt === undefined) &&
    (by === '' || row.origin.capturedBy.toLowerCase().includes(by)) &&
    (typed.length === 0 ||
      matchesSearch(typed, (row as StoredRow).searchWords ?? searchWords(row.text, row.origin.title)));
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
 * The rows containing the typed text, through the `searchWords` index, when its longest word is rare enough
 * (≤ {@link WORD_INDEX_LIMIT} index entries): newest first, every filter applied. Undefined when the text is empty
 * or its words are common: the caller walks the newest rows instead, which stops at a page.
 */
async function rarestWordCandidates(
  db: CxplanDb,
  text: string | undefined,
  lower: string,
  upper: string,
  match: (row: EvidenceRow) => boolean,
  limit: number,
): Promise<EvidenceRow[] | undefined> {
  const typed = searchWords(text);
  const longest = typed.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest === '') return undefined;
  const byWord = db.evidence.where('searchWords').startsWith(longest);
  if (
    (await byWord
      .clone()
      .limit(limit + 1)
      .count()) > limit
  )
    return undefined;
  const ids = [...new Set((await byWord.primaryKeys()) as string[])];
  const rows = (await db.evidence.bulkGet(ids)).filter(
    (r): r is EvidenceRow =>
      r !== undefined && r.origin.capturedAt >= lower && r.origin.capturedAt <= upper && match(r),
  );
  return rows.sort((a, b) => b.origin.capturedAt.localeCompare(a.origin.capturedAt));
}

/**
 * Finds one page of inbox rows, newest first, without reading the whole table: a filter on a customer event
 * uses the `eventId` index (a few dozen rows), "untagged only" the table of untagged clips, a rare search word
 * the `searchWords` index; otherwise the `origin.capturedAt` index is walked backwards
 * (bounded by the date range) and the walk stops as soon as a page plus one row matched. A very selective filter
 * with no index (a word that appears nowhere) still walks every row: that is the worst case the benchmark
 * reports separately.
 */
export async function queryInbox(
  db: CxplanDb,
  filter: InboxFilter,
  offset = 0,
  pageSize = 200,
  /** How many index entries a search word may have for the word index to be used (tests force either path). */
  wordIndexLimit = WORD_INDEX_LIMIT,
): Promise<InboxPage> {
  const match = matcher(filter);
  const want = offset + pageSize + 1;
  const lower = filter.from === undefined ? '' : `${filter.from}T00:00:00`;
  const upper = filter.to === undefined ? '\uffff' : `${filter.to}T23:59:59.999\uffff`;
  const byWord =
    filter.eventId === undefined && filter.untagged !== true
      ? await rarestWordCandidates(db, filter.text, lower, upper, match, wordIndexLimit)
      : undefined;
  let rows: EvidenceRow[];
  if (filter.eventId !== undefined) {
    rows = (await db.evidence.where('eventId').equals(filter.eventId).toArray())
      .filter(match)
      .sort((a, b) => b.origin.capturedAt.localeCompare(a.origin.capturedAt));
  } else if (filter.untagged === true) {
    rows = await untaggedPage(db, lower, upper, match, want);
  } else if (byWord !== undefined) {
    rows = byWord;
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
