import { type Driver, HEAT_MAP_CATEGORIES, type HeatMapCount, heatMapCategory } from '@cxplan/core';
import type {
  DBCore,
  DBCoreMutateRequest,
  DBCoreMutateResponse,
  DBCoreTable,
  DBCoreTransaction,
  Middleware,
  Transaction,
} from 'dexie';
import { searchWords } from './search-words';

/**
 * What is derived from the evidence, kept in step with it by {@link evidenceDerivedMiddleware}, so the dashboard
 * never has to read 100k evidence rows to open or filter:
 *
 * - the table `heatCounts`: per customer event, how many of its evidence items fall in each heat-map category (the core's
 *   `heatMapCategory`: sentiment slot × the item's drivers). The core's `computeHeatMapFromCounts` turns them
 *   into exactly the heat map `computeHeatMap` computes from the rows (property-tested in the core). Evidence
 *   with no event is counted under the event id `''`, so the map's "not placed" figure comes out too.
 * - on each evidence row, fields for indexes (see {@link withDerivedFields}).
 */
export const DERIVED_TABLES = ['heatCounts'] as const;

/** Dexie index declarations of the derived tables (added in schema v3). */
export const DERIVED_SCHEMA = {
  heatCounts: 'eventId',
} as const;

/** One customer event's counts: `counts[c]` items in heat-map category `c` (0..47). `''` = no event. */
export interface HeatCountRow {
  eventId: string;
  counts: number[];
}

/** The fields of an evidence row the derived tables read (rows are parsed before they are written). */
interface EvidenceShape {
  id: string;
  text?: string;
  eventId?: string;
  sentiment?: number;
  drivers?: Driver[];
  taggedAt?: string;
  origin?: { capturedAt?: string; title?: string };
}

/** Fields stored on an evidence row only for indexes (see {@link withDerivedFields}). */
export interface DerivedFields {
  searchWords: string[];
  untaggedAt?: string;
}

/**
 * A row as stored, with fields for indexes: `searchWords` (the words of its text and page title, see
 * search-words.ts; a multi-entry index for the inbox search) and, while nobody has tagged it, `untaggedAt` (its
 * capture time: IndexedDB cannot index a missing `taggedAt`, so the "untagged only" filter walks this index).
 * Derived here so every write path stores them; reads through the core schema drop them again, so they never
 * leave storage (backups, exports and Jira never see them).
 */
export function withDerivedFields<R extends EvidenceShape>(row: R): Omit<R, 'untaggedAt'> & DerivedFields {
  const { untaggedAt: _stale, ...rest } = row as R & { untaggedAt?: string };
  return {
    ...rest,
    searchWords: searchWords(row.text, row.origin?.title),
    ...(row.taggedAt === undefined ? { untaggedAt: row.origin?.capturedAt ?? '' } : {}),
  };
}

/** The change to the heat-map counts that a batch of evidence writes adds up to (per event, per category). */
class DerivedDelta {
  readonly counts = new Map<string, number[]>();

  /** Counts a row in (`+1`, a row written) or out (`-1`, a row removed or replaced). */
  bump(row: EvidenceShape, by: 1 | -1): void {
    const key = row.eventId ?? '';
    let counts = this.counts.get(key);
    if (counts === undefined) {
      counts = new Array<number>(HEAT_MAP_CATEGORIES).fill(0);
      this.counts.set(key, counts);
    }
    const c = heatMapCategory({ sentiment: row.sentiment, drivers: row.drivers ?? [] });
    counts[c] = (counts[c] ?? 0) + by;
  }
}

/** Whether an IndexedDB transaction's scope holds every derived table. */
function scopeHasDerived(trans: DBCoreTransaction): boolean {
  const names = (trans as Partial<IDBTransaction>).objectStoreNames;
  // Dexie's IndexedDB core hands out the IDBTransaction itself; anything else is let through to fail loudly.
  return names === undefined || DERIVED_TABLES.every((t) => names.contains(t));
}

function isVersionChange(trans: DBCoreTransaction): boolean {
  return (trans as Partial<IDBTransaction>).mode === 'versionchange';
}

/*
 * The functions below chain with `.then` on the promises DBCore returns, never `await`: those are Dexie promises
 * that carry Dexie's transaction zone (PSD), which the middlewares further down read; a native `await` in between
 * would drop it.
 */

/** Writes a delta to the derived tables, in the transaction that wrote the evidence. */
function applyDelta(core: DBCore, trans: DBCoreTransaction, delta: DerivedDelta): Promise<void> {
  const heat = core.table('heatCounts');
  const keys = [...delta.counts.keys()];
  return keys.length === 0
    ? Promise.resolve()
    : heat.getMany({ trans, keys }).then((existing: (HeatCountRow | undefined)[]) => {
        const put: HeatCountRow[] = [];
        const gone: string[] = [];
        keys.forEach((eventId, i) => {
          const change = delta.counts.get(eventId) ?? [];
          const before = existing[i]?.counts ?? [];
          let total = 0;
          const counts = Array.from({ length: HEAT_MAP_CATEGORIES }, (_, c) => {
            const n = (before[c] ?? 0) + (change[c] ?? 0);
            total += n;
            return n;
          });
          if (total === 0) gone.push(eventId);
          else put.push({ eventId, counts });
        });
        return mutateOrThrow(heat, { type: 'put', trans, values: put }).then(() =>
          mutateOrThrow(heat, { type: 'delete', trans, keys: gone }),
        );
      });
}

function mutateOrThrow(table: DBCoreTable, req: DBCoreMutateRequest): Promise<void> {
  if ((req.type === 'put' && req.values.length === 0) || (req.type === 'delete' && req.keys.length === 0))
    return Promise.resolve();
  return table.mutate(req).then((res) => {
    if (res.numFailures > 0) throw Object.values(res.failures)[0];
  });
}

/** The evidence rows a mutation replaces or removes (read before it runs, in the same transaction). */
function rowsBefore(table: DBCoreTable, req: DBCoreMutateRequest): Promise<(EvidenceShape | undefined)[]> {
  switch (req.type) {
    case 'add':
      return Promise.resolve([]);
    case 'put':
      return table.getMany({
        trans: req.trans,
        keys: req.keys ?? req.values.map((v: EvidenceShape) => v.id),
      });
    case 'delete':
      return table.getMany({ trans: req.trans, keys: req.keys });
    case 'deleteRange':
      return table
        .query({
          trans: req.trans,
          values: true,
          query: { index: table.schema.primaryKey, range: req.range },
        })
        .then((res) => res.result as EvidenceShape[]);
  }
}

/** What a mutation that went through (except its failed items) changes in the derived tables. */
function deltaOf(
  req: DBCoreMutateRequest,
  before: readonly (EvidenceShape | undefined)[],
  res: DBCoreMutateResponse,
): DerivedDelta {
  const failed = new Set(Object.keys(res.failures).map(Number));
  const delta = new DerivedDelta();
  if (req.type === 'deleteRange') {
    for (const row of before) if (row !== undefined) delta.bump(row, -1);
  } else if (req.type === 'delete') {
    before.forEach((row, i) => {
      if (row !== undefined && !failed.has(i)) delta.bump(row, -1);
    });
  } else {
    req.values.forEach((row: EvidenceShape, i) => {
      if (failed.has(i)) return;
      const old = before[i];
      if (old !== undefined) delta.bump(old, -1);
      delta.bump(row, 1);
    });
  }
  return delta;
}

/**
 * Keeps the derived tables in step with every write to `evidence`, whatever Dexie call made it (add, put,
 * bulk, update, modify, delete, clear): it reads the rows a write replaces, lets the write through and applies
 * the difference in the same transaction, so the evidence and its counts commit or fail together. A write in a
 * transaction that does not include the derived tables is refused before anything is written (the storage
 * service opens every evidence write with {@link EVIDENCE_WRITE_SCOPE}). Upgrade steps that ran before the
 * derived tables existed are let through: the v3 step rebuilds them from the rows.
 */
export const evidenceDerivedMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'cxplan-evidence-derived',
  create(down) {
    return {
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== 'evidence') return table;
        return {
          ...table,
          mutate(original: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
            const req: DBCoreMutateRequest =
              original.type === 'add' || original.type === 'put'
                ? { ...original, values: original.values.map(withDerivedFields) }
                : original;
            if (!scopeHasDerived(req.trans)) {
              if (isVersionChange(req.trans)) return table.mutate(req);
              return Promise.reject(
                new Error(
                  `evidence written in a transaction without ${DERIVED_TABLES.join(', ')}: the heat-map counts would go stale (write evidence through the StorageService)`,
                ),
              );
            }
            return rowsBefore(table, req).then((before) =>
              table
                .mutate(req)
                .then((res) => applyDelta(down, req.trans, deltaOf(req, before, res)).then(() => res)),
            );
          },
        };
      },
    };
  },
};

/** The tables a transaction that writes evidence must include (the evidence and what is derived from it). */
export const EVIDENCE_WRITE_SCOPE: readonly string[] = ['evidence', ...DERIVED_TABLES];

/**
 * Rebuilds everything derived from the evidence (the v3 upgrade step, and a repair): each row's index fields
 * (rewriting the rows) and the heat-map counts (at most one row per customer event).
 */
export async function rebuildEvidenceDerived(tx: Transaction): Promise<void> {
  const delta = new DerivedDelta();
  await tx
    .table('evidence')
    .toCollection()
    .modify((row: EvidenceShape & Partial<DerivedFields>) => {
      const derived = withDerivedFields(row);
      row.searchWords = derived.searchWords;
      if (derived.untaggedAt === undefined) delete row.untaggedAt;
      else row.untaggedAt = derived.untaggedAt;
      delta.bump(row, 1);
    });
  await tx.table('heatCounts').clear();
  await tx
    .table('heatCounts')
    .bulkPut([...delta.counts].map(([eventId, counts]) => ({ eventId, counts }) satisfies HeatCountRow));
}

/** Flattens stored count rows into the core's {@link HeatMapCount}s (zero counts left out). */
export function heatMapCounts(rows: readonly HeatCountRow[]): HeatMapCount[] {
  const out: HeatMapCount[] = [];
  for (const row of rows)
    row.counts.forEach((count, category) => {
      if (count !== 0) out.push({ eventId: row.eventId, category, count });
    });
  return out;
}
