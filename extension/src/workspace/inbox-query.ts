import type { SourceKind } from '@cxplan/core';
import type { Collection } from 'dexie';
import type { CxplanDb } from '../storage/db';
import type { EvidenceRow } from '../storage/evidence-row';
import { matchesSearch, searchWords } from '../storage/search-words';

/** A row as IndexedDB returns it: with the words the storage layer indexed (see evidence-derived.ts). */
type StoredRow = EvidenceRow & { searchWords?: string[] };

/**
 * Up to this many candidates, reading them through an index and sorting them is cheaper than walking the newest
 * rows (about 10 µs a row in Chromium: 5,000 rows ≈ 50 ms). Above it every indexed filter is broad, so matches are
 * dense and the walk stops after a page.
 */
const INDEX_READ_LIMIT = 5_000;

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
 * What one index gives for a filter: how many rows, and how to read them; or `broad` when it gives more than the
 * limit. Sizes come from a bounded key read (IndexedDB's getAllKeys with a count), never from counting: Chromium
 * counts a range by walking it. Rows are read with one getAll over the same index range where there is one
 * (a bulk get by id issues one request per row, several times slower).
 */
type Candidates = { size: number; read: () => Promise<EvidenceRow[]> } | 'broad';

/** What {@link fromRange} needs of a Dexie collection over the evidence. */
type RowRange = Pick<Collection<EvidenceRow, string>, 'primaryKeys' | 'toArray'> & {
  limit(n: number): RowRange;
};

function fromRange(range: () => RowRange, limit: number): Promise<Candidates> {
  return range()
    .limit(limit + 1)
    .primaryKeys()
    .then((keys) => (keys.length > limit ? 'broad' : { size: keys.length, read: () => range().toArray() }));
}

/**
 * The distinct values of an index, found by seeking past each value (one step per distinct value; a
 * `nextunique` cursor in Chromium still walks every entry). Raw IndexedDB: Dexie has no seeking key cursor.
 */
async function distinctKeys(db: CxplanDb, index: string): Promise<string[]> {
  if (!db.isOpen()) await db.open();
  return new Promise((resolve, reject) => {
    const req = db.backendDB().transaction('evidence').objectStore('evidence').index(index).openKeyCursor();
    const out: string[] = [];
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const cursor = req.result;
      if (cursor === null) return resolve(out);
      const key = String(cursor.key);
      out.push(key);
      // The smallest string greater than `key`: the next distinct value.
      cursor.continue(`${key}\u0000`);
    };
  });
}

/**
 * What each index that can narrow this filter gives (see {@link Candidates}): the event, stage and source kind
 * indexes; the untagged clips' table; each typed word's prefix in the word index; the people whose name contains
 * the "captured by" text, found among the index's distinct names.
 */
async function candidateSets(db: CxplanDb, f: InboxFilter, limit: number): Promise<Candidates[]> {
  const sets: Promise<Candidates>[] = [];
  for (const index of ['eventId', 'stageId', 'sourceKind'] as const) {
    const value = f[index];
    if (value !== undefined) sets.push(fromRange(() => db.evidence.where(index).equals(value), limit));
  }
  if (f.untagged === true)
    sets.push(
      db.untaggedEvidence
        .limit(limit + 1)
        .primaryKeys()
        .then((ids) =>
          ids.length > limit
            ? 'broad'
            : {
                size: ids.length,
                read: async () =>
                  (await db.evidence.bulkGet(ids)).filter((r): r is EvidenceRow => r !== undefined),
              },
        ),
    );
  // A row can hold two words with the typed prefix ("refund", "refunds"): it comes back once per word.
  for (const word of searchWords(f.text))
    sets.push(fromRange(() => db.evidence.where('searchWords').startsWith(word), limit));
  const by = f.capturedBy?.trim().toLowerCase() ?? '';
  if (by !== '')
    sets.push(
      distinctKeys(db, 'origin.capturedBy').then((names) => {
        const matching = names.filter((n) => n.toLowerCase().includes(by));
        // anyOf would walk a cursor; a plain key range per name is one getAll each.
        const perName = matching.map((n) =>
          fromRange(() => db.evidence.where('origin.capturedBy').equals(n), limit),
        );
        return Promise.all(perName).then((parts) => {
          if (parts.some((p) => p === 'broad')) return 'broad';
          const ok = parts as Exclude<Candidates, 'broad'>[];
          const size = ok.reduce((n, p) => n + p.size, 0);
          return size > limit
            ? 'broad'
            : { size, read: async () => (await Promise.all(ok.map((p) => p.read()))).flat() };
        });
      }),
    );
  return Promise.all(sets);
}

/**
 * Finds one page of inbox rows, newest first, without reading the whole table. A small query planner: the
 * filter's most selective index (see {@link candidateSets}) gives the candidates when they are few (≤ 5,000),
 * which are then checked against every filter and sorted; when every index is broad, the `origin.capturedAt`
 * index is walked backwards (bounded by the date range) and the walk stops as soon as a page plus one row
 * matched. The worst case left: broad filters that match nothing together (two common words never used in the
 * same clip) walk every row; the benchmark reports it separately.
 */
export async function queryInbox(
  db: CxplanDb,
  filter: InboxFilter,
  offset = 0,
  pageSize = 200,
  /** Most candidates read through an index (tests force either path). */
  indexReadLimit = INDEX_READ_LIMIT,
): Promise<InboxPage> {
  const match = matcher(filter);
  const want = offset + pageSize + 1;
  const lower = filter.from === undefined ? '' : `${filter.from}T00:00:00`;
  const upper = filter.to === undefined ? '\uffff' : `${filter.to}T23:59:59.999\uffff`;
  const best = (await candidateSets(db, filter, Math.max(0, indexReadLimit))).reduce<Candidates>(
    (a, b) => (a === 'broad' || (b !== 'broad' && b.size < a.size) ? b : a),
    'broad',
  );
  let rows: EvidenceRow[];
  if (best !== 'broad' && indexReadLimit >= 0) {
    const seen = new Set<string>();
    rows = (await best.read())
      .filter((r) => {
        if (seen.has(r.id)) return false;
        seen.add(r.id);
        return r.origin.capturedAt >= lower && r.origin.capturedAt <= upper && match(r);
      })
      // ISO date-times order as plain strings (localeCompare would cost more than the read on 5,000 rows).
      .sort((a, b) =>
        a.origin.capturedAt < b.origin.capturedAt ? 1 : a.origin.capturedAt > b.origin.capturedAt ? -1 : 0,
      );
  } else {
    rows = await db.evidence
      .where('origin.capturedAt')
      .between(lower, upper, true, true)
      .reverse()
      .filter(match)
      .limit(want)
      .toArray();
  }
  return { rows: rows.slice(offset, offset + pageSize), more: rows.length > offset + pageSize };
}
