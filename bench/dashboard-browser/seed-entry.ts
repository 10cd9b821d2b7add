// Bundled by bench/dashboard.ts (esbuild, IIFE) and evaluated in an extension page of the real browser: seeds the
// extension's own IndexedDB through its StorageService (every row parsed by the core schemas on the way in).
import { DEFAULT_STAGES } from '@cxplan/core';
import { CxplanDb } from '../../extension/src/storage/db';
import type { EvidenceRow } from '../../extension/src/storage/evidence-row';
import { StorageService } from '../../extension/src/storage/storage-service';

const SOURCES = ['customer', 'partner', 'manager', 'internal'] as const;
const WORDS = ['checkout', 'delivery', 'refund', 'invoice', 'login', 'support', 'price', 'app'];

/** A small deterministic generator (no Math.random, so every run seeds the same data). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Seeds `evidence` clips over `events` events (in the 7 default stages) and `actions` actions under 500 goals. */
async function seed(evidence: number, events: number, actions: number): Promise<Record<string, number>> {
  const storage = new StorageService(new CxplanDb());
  const rnd = lcg(42);
  const t0 = performance.now();
  const stages = DEFAULT_STAGES;
  const eventRows = Array.from({ length: events }, (_, i) => ({
    id: `ev-${i}`,
    stageId: stages[i % stages.length]?.id,
    name: `Event ${i}: customer ${WORDS[i % WORDS.length]} moment`,
    drivers: i % 5 === 0 ? ['pain'] : i % 7 === 0 ? ['loyalty'] : [],
  }));
  await storage.putMany('events', eventRows);
  await storage.put('departments', { id: 'dep-0', name: 'Operations' });
  await storage.put('cycles', {
    id: 'cycle-1',
    name: 'FY bench',
    start: '2026-01-01',
    end: '2026-12-31',
    status: 'active',
  });
  const metric = {
    name: 'Score',
    unit: '%',
    direction: 'increase',
    baseline: 10,
    target: 90,
    due: '2026-12-31',
  };
  await storage.putMany(
    'orgGoals',
    Array.from({ length: 20 }, (_, g) => ({
      id: `og-${g}`,
      cycleId: 'cycle-1',
      title: `Org goal ${g}`,
      // A year of monthly check-ins on the organisation goals' metrics, so the Progress screen draws their trends.
      metric: {
        ...metric,
        readings: Array.from({ length: 12 }, (_, m) => ({
          id: `r-${g}-${m}`,
          value: 10 + m * 5 + Math.round(rnd() * 6),
          at: new Date(Date.UTC(2026, m, 15, 12)).toISOString(),
          recordedAt: new Date(Date.UTC(2026, m, 15, 12)).toISOString(),
          by: 'bench',
        })),
      },
      evidenceIds: [`e-${g}`],
    })),
  );
  await storage.putMany(
    'deptGoals',
    Array.from({ length: 500 }, (_, g) => ({
      id: `dg-${g}`,
      cycleId: 'cycle-1',
      departmentId: 'dep-0',
      title: `Dept goal ${g}`,
      orgGoalId: `og-${g % 20}`,
      metric,
    })),
  );
  await storage.putMany(
    'actions',
    Array.from({ length: actions }, (_, a) => ({
      id: `a-${a}`,
      cycleId: 'cycle-1',
      deptGoalId: `dg-${a % 500}`,
      title: `Action ${a}`,
      due: '2026-09-30',
      status: a % 3 === 0 ? 'done' : 'todo',
      eventIds: [`ev-${a % events}`],
    })),
  );
  const tFramework = performance.now();
  const CHUNK = 10_000;
  for (let start = 0; start < evidence; start += CHUNK) {
    const rows: EvidenceRow[] = [];
    for (let i = start; i < Math.min(evidence, start + CHUNK); i++) {
      const ev = eventRows[Math.floor(rnd() * events)];
      const sentiment = Math.floor(rnd() * 6) - 3;
      const url = `https://reviews.example.com/p/${i % 1000}`;
      const text = `Customer ${i} wrote about the ${WORDS[i % WORDS.length]}: it was ${sentiment < 0 ? 'frustrating' : 'fine'} this time.`;
      rows.push({
        id: `e-${i}`,
        text,
        sourceKind: SOURCES[i % 4] ?? 'customer',
        intent: 'feedback',
        drivers: rnd() < 0.2 ? ['pain'] : [],
        ...(sentiment === -3 ? {} : { sentiment }),
        // 1 % stay untagged, as clips waiting for triage.
        ...(i % 100 === 0
          ? {}
          : { stageId: ev?.stageId, eventId: ev?.id, taggedAt: '2026-06-01T00:00:00.000Z' }),
        origin: {
          url,
          title: `Reviews ${i % 1000}`,
          capturedBy: `user${i % 20}`,
          capturedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          via: 'clip',
        },
        target: { source: url, quote: { type: 'TextQuoteSelector', exact: text } },
      } as EvidenceRow);
    }
    await storage.bulkAddEvidence(rows);
  }
  const tEvidence = performance.now();
  storage.db.close();
  return { frameworkMs: tFramework - t0, evidenceMs: tEvidence - tFramework, evidence: await countRaw() };
}

/** Counts evidence with raw IndexedDB (the check that seeding landed). */
function countRaw(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('cxplan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('evidence').objectStore('evidence').count();
      req.onsuccess = () => {
        open.result.close();
        resolve(req.result);
      };
    };
  });
}

/** Baseline: one raw IndexedDB getAll of every evidence row (what reading "everything" costs in this browser). */
function rawReadAll(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('cxplan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const t0 = performance.now();
      const req = open.result.transaction('evidence').objectStore('evidence').getAll();
      req.onsuccess = () => {
        const ms = performance.now() - t0;
        open.result.close();
        resolve(ms);
      };
    };
  });
}

(globalThis as unknown as { cxplanDashboardBench: unknown }).cxplanDashboardBench = { seed, rawReadAll };
