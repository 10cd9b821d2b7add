// Bundled by capture-bench.ts (esbuild, IIFE) and evaluated in an extension page of the real browser, so the bulk
// insert runs through the extension's own StorageService + Dexie against Chromium's IndexedDB.
import { CxplanDb, SCHEMA_V3 } from '../../extension/src/storage/db';
import { withDerivedFields } from '../../extension/src/storage/evidence-derived';
import type { EvidenceRow } from '../../extension/src/storage/evidence-row';
import { StorageService } from '../../extension/src/storage/storage-service';

const SOURCES = ['customer', 'partner', 'manager', 'internal'] as const;

/** `n` distinct, valid clip rows (the same generator feeds both inserts). */
function makeRows(n: number): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  for (let i = 0; i < n; i++) {
    const url = `https://reviews.example.com/product/${i % 500}`;
    const text = `Customer ${i} says the checkout step ${i % 7} was slow and confusing on mobile.`;
    rows.push({
      id: `bench-${i}`,
      text,
      sourceKind: SOURCES[i % 4] ?? 'customer',
      intent: 'feedback',
      drivers: i % 3 === 0 ? ['pain'] : [],
      sentiment: (i % 5) - 2,
      stageId: `stage-${i % 7}`,
      origin: {
        url,
        title: `Product ${i % 500} reviews`,
        capturedBy: 'bench',
        capturedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        via: 'clip',
      },
      target: {
        source: url,
        quote: { type: 'TextQuoteSelector', exact: text, prefix: 'Review: ', suffix: ' Helpful?' },
        position: { type: 'TextPositionSelector', start: 100, end: 100 + text.length },
      },
    });
  }
  return rows;
}

/** Deletes a database and waits for it. */
function drop(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** Inserts through the storage service (every row parsed with the core schema, one Dexie bulkAdd). */
async function serviceInsert(n: number): Promise<number> {
  await drop('bench-service');
  const rows = makeRows(n);
  const db = new CxplanDb('bench-service');
  await db.open();
  const storage = new StorageService(db);
  const t0 = performance.now();
  await storage.bulkAddEvidence(rows);
  const ms = performance.now() - t0;
  if ((await storage.countEvidence()) !== n) throw new Error('service insert lost rows');
  db.close();
  await drop('bench-service');
  return ms;
}

/**
 * Inserts with the raw IndexedDB API: the same rows as the service stores them (with their index fields, worked
 * out before the clock starts: raw IndexedDB computes nothing), the same evidence indexes (SCHEMA_V3's, the word
 * index multi-entry), one transaction. The service's extra work (parsing, words, heat-map counts) is what the
 * ratio measures.
 */
async function rawInsert(n: number): Promise<number> {
  await drop('bench-raw');
  const rows = makeRows(n).map(withDerivedFields);
  const indexes = SCHEMA_V3.evidence
    .split(',')
    .map((s) => s.trim())
    .slice(1);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('bench-raw', 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore('evidence', { keyPath: 'id' });
      for (const spec of indexes) {
        const name = spec.replace(/^\*/, '');
        // Dexie's notation: `*path` is multi-entry, `[a+b]` compound.
        const keyPath = name.startsWith('[') ? name.slice(1, -1).split('+') : name;
        store.createIndex(name, keyPath, { multiEntry: spec.startsWith('*') });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('evidence', 'readwrite');
    const store = tx.objectStore('evidence');
    for (const row of rows) store.add(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  const ms = performance.now() - t0;
  db.close();
  await drop('bench-raw');
  return ms;
}

(globalThis as Record<string, unknown>).cxplanBench = { serviceInsert, rawInsert };
