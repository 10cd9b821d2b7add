import type { SourceKind } from '@cxplan/core';
import type { CxplanDb } from '../storage/db';
import type { EvidenceRow } from '../storage/evidence-row';
import { matchesSearch, searchWords } from '../storage/search-words';

/** A row as IndexedDB returns it: with the words the storage layer indexed (see evidence-derived.ts). */
type StoredRow = EvidenceRow & { searchWords?: string[] };

/**
 * A search word with at most this many index entries is rare: its rows are read by id (≈ 50 µs each in Chromium)
 * and sorted. A commoner word is left to the walk, which stops after a page because matches are dense.
 */
const RARE_WORD = 500;

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

/** One index of the evidence store, in a read transaction of its own (raw IndexedDB, for what Dexie lacks). */
async function evidenceIndex(db: CxplanDb, name: string): Promise<IDBIndex> {
  if (!db.isOpen()) await db.open();
  return db.backendDB().transaction('evidence').objectStore('evidence').index(name);
}

/**
 * The distinct capturers, found by seeking past each name in the `[origin.capturedBy+origin.capturedAt]` index
 * (one step per name; a `nextunique` cursor in Chromium still walks every entry). Raw IndexedDB: Dexie has no
 * seeking key cursor.
 */
async function capturers(db: CxplanDb): Promise<string[]> {
  const index = await evidenceIndex(db, '[origin.capturedBy+origin.capturedAt]');
  return new Promise((resolve, reject) => {
    const req = index.openKeyCursor();
    const out: string[] = [];
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const cursor = req.result;
      if (cursor === null) return resolve(out);
      const name = String((cursor.key as [string, string])[0]);
      out.push(name);
      // [name + NUL] sorts after every [name, time] and before the next name.
      cursor.continue([`${name}\u0000`]);
    };
  });
}

/**
 * The rows holding a rare typed word (≤ limit index entries); else, for two or more common words, the rows holding
 * all of them when they are few; else undefined (the caller walks an index).
 */
async function rareWordRows(
  db: CxplanDb,
  text: string | undefined,
  limit: number,
): Promise<EvidenceRow[] | undefined> {
  const probes = await Promise.all(
    searchWords(text).map(async (word) => {
      const ids = await db.evidence
        .where('searchWords')
        .startsWith(word)
        .limit(limit + 1)
        .primaryKeys();
      return ids.length > limit ? undefined : [...new Set(ids as string[])];
    }),
  );
  const rarest = probes.reduce<string[] | undefined>(
    (a, b) => (b !== undefined && (a === undefined || b.length < a.length) ? b : a),
    undefined,
  );
  if (rarest !== undefined) return readRows(db, rarest);
  const words = searchWords(text);
  if (words.length < 2) return undefined;
  // Every typed word is common. Intersect their rows' keys, read from the index alone (no row is read), smallest
  // set first: two common words that no clip has together (the walk's worst case: every row read) come back
  // empty at once, and a few clips having both are read by id. Many clips having both leave it to the walk,
  // which then stops after a page because matches are dense.
  const sets = (await Promise.all(words.map((word) => wordKeys(db, word)))).sort((a, b) => a.size - b.size);
  let common = sets[0] ?? new Set<string>();
  for (const next of sets.slice(1)) common = new Set([...common].filter((id) => next.has(id)));
  return common.size > INTERSECTION_READ ? undefined : readRows(db, [...common]);
}

/**
 * The ids of the rows having a word that starts with `word`, from the word index in one `getAllKeys` call (a
 * Dexie key cursor steps entry by entry: ten times slower for a common word). Raw IndexedDB, like `capturers`.
 */
async function wordKeys(db: CxplanDb, word: string): Promise<Set<string>> {
  const index = await evidenceIndex(db, 'searchWords');
  return new Promise((resolve, reject) => {
    const req = index.getAllKeys(IDBKeyRange.bound(word, `${word}\uffff`));
    req.onerror = () => reject(req.error);
    req.onsuccess = () => resolve(new Set(req.result as string[]));
  });
}

/** At most this many rows found by intersecting common words are read by id; more are left to the walk. */
const INTERSECTION_READ = 2_000;

async function readRows(db: CxplanDb, ids: readonly string[]): Promise<EvidenceRow[]> {
  return (await db.evidence.bulkGet([...ids])).filter((r): r is EvidenceRow => r !== undefined);
}

/**
 * Finds one page of inbox rows, newest first, without reading the whole table:
 *
 * - a rare search word (≤ 500 index entries) reads just its rows by id;
 * - otherwise one index is walked newest first and the walk stops once a page plus one row matched: for
 *   "untagged only" the `untaggedAt` index (only untagged rows have the field: see evidence-derived.ts), else the
 *   `[field+origin.capturedAt]` index of the most selective field the filter fixes (event, then the capturer —
 *   when the text names exactly one —, stage, source kind), else plain `origin.capturedAt`. The walk reads only
 *   rows of that field's value, in time order, so a filter matching 1 row in 20 reads about a page's worth.
 *
 * - two or more common words are intersected by key first (see rareWordRows), so words never used in the same
 *   clip find nothing without reading a row.
 *
 * The worst case left: filters no index serves that match nothing together (say a common word and a sentiment no
 * clip with it has) walk every row. `rareWord` sets the rare-word limit (tests use
 * -1 to force the walk).
 */
export async function queryInbox(
  db: CxplanDb,
  filter: InboxFilter,
  offset = 0,
  pageSize = 200,
  rareWord = RARE_WORD,
): Promise<InboxPage> {
  const match = matcher(filter);
  const want = offset + pageSize + 1;
  const lower = filter.from === undefined ? '' : `${filter.from}T00:00:00`;
  const upper = filter.to === undefined ? '\uffff' : `${filter.to}T23:59:59.999\uffff`;
  const inRange = (r: EvidenceRow): boolean => r.origin.capturedAt >= lower && r.origin.capturedAt <= upper;
  const page = (rows: EvidenceRow[]): InboxPage => ({
    rows: rows.slice(offset, offset + pageSize),
    more: rows.length > offset + pageSize,
  });

  const rare = rareWord < 0 ? undefined : await rareWordRows(db, filter.text, rareWord);
  if (rare !== undefined)
    return page(
      rare
        .filter((r) => inRange(r) && match(r))
        // ISO date-times order as plain strings (localeCompare costs more than the read).
        .sort((a, b) =>
          a.origin.capturedAt < b.origin.capturedAt ? 1 : a.origin.capturedAt > b.origin.capturedAt ? -1 : 0,
        ),
    );

  const by = filter.capturedBy?.trim().toLowerCase() ?? '';
  const named = by === '' ? [] : (await capturers(db)).filter((n) => n.toLowerCase().includes(by));
  if (by !== '' && named.length === 0) return page([]);
  // The fields a filter can fix, most selective first; the first one fixed picks its time-ordered index.
  const fixed: [string, string | undefined][] = [
    ['eventId', filter.eventId],
    ['origin.capturedBy', named.length === 1 ? named[0] : undefined],
    ['stageId', filter.stageId],
    ['sourceKind', filter.sourceKind],
  ];
  const [field, value] = fixed.find(([, v]) => v !== undefined) ?? [];
  const range =
    filter.untagged === true
      ? db.evidence.where('untaggedAt').between(lower, upper, true, true)
      : field === undefined || value === undefined
        ? db.evidence.where('origin.capturedAt').between(lower, upper, true, true)
        : db.evidence
            .where(`[${field}+origin.capturedAt]`)
            .between([value, lower], [value, upper], true, true);
  return page(await range.reverse().filter(match).limit(want).toArray());
}
