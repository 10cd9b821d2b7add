// Capture benchmarks (issue 4), in Debian Chromium with the built extension:
//   1. capture message → clip row committed in IndexedDB, median over ≥ 50 captures (target ≤ 50 ms)
//   2. bytes the extension injects into a page before any capture: built manifest + a real page visit (target 0)
//   3. popup JavaScript per entry, gzip (target ≤ 40 kB)
//   4. bulk insert of 100k evidence rows: the storage service vs raw IndexedDB, same browser run (target ≤ 1.2×)
// Writes bench/results/capture.json (the shared result format of bench/lib/machine.ts).
// Run: npm run bench:capture -w extension, or npx tsx bench/capture-bench.ts, or npm run bench -- --only capture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildExtension } from '../test/harness/build-extension';
import { launchExtensionBrowser } from '../test/harness/extension-browser';
import { countExtensionScripts } from '../test/harness/injected-scripts';
import { htmlPage, startPageServer } from '../test/harness/page-server';
import { CHROME_BUILD, REPO_ROOT } from '../test/harness/paths';
import { selectText } from '../test/harness/select-text';
import { type BenchResult, machineInfo, median, writeResult } from './lib/machine';

const CAPTURES = Number(process.env.CAPTURES ?? 60);
const BULK_ROWS = Number(process.env.BULK_ROWS ?? 100_000);
const BULK_ROUNDS = Number(process.env.BULK_ROUNDS ?? 5);

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** The JS files the popup entry loads (its module script and the chunks it preloads), with raw and gzip sizes. */
function popupJs(): { file: string; bytes: number; gzipBytes: number }[] {
  const html = readFileSync(join(CHROME_BUILD, 'popup.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  return [...new Set(refs)].map((ref) => {
    const buf = readFileSync(join(CHROME_BUILD, ref.replace(/^\//, '')));
    return { file: ref, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
  });
}

async function main(): Promise<void> {
  buildExtension();
  const manifest = JSON.parse(readFileSync(join(CHROME_BUILD, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js?: string[] }[];
    host_permissions?: string[];
    permissions?: string[];
  };
  const manifestContentScripts = (manifest.content_scripts ?? []).flatMap((c) => c.js ?? []);
  const manifestBytes = manifestContentScripts.reduce(
    (a, f) => a + readFileSync(join(CHROME_BUILD, f)).length,
    0,
  );

  const server = await startPageServer({
    '/review': htmlPage(
      'Bench review',
      '<p id="r">Great support. But the checkout kept timing out on my phone, twice this week.</p>',
    ),
    '/visit': htmlPage('Visit', '<p>Just a page that is visited.</p>'),
  });
  const xb = await launchExtensionBrowser();
  try {
    // 2. Injection on a visit.
    const visit = await xb.context.newPage();
    const counter = await countExtensionScripts(visit, xb.extensionId);
    await visit.goto(server.url('/visit'));
    await visit.waitForTimeout(1000);
    const visitInjection = await counter.snapshot();
    await visit.close();

    // 1. Capture latency, measured in an extension page: message sent → answer (row committed) → row read back.
    const page = await xb.openPage(server.url('/review'));
    await selectText(page, '#r', 'the checkout kept timing out on my phone');
    await xb.clickToolbarButton(page);
    const tabId = await xb.tabIdOf(page);
    const helper = await xb.openExtensionPage('/popup.html');
    const latencies: { answerMs: number; committedMs: number; serverMs: number }[] = [];
    for (let i = 0; i < CAPTURES + 5; i++) {
      const m = await helper.evaluate(async (tab) => {
        const t0 = performance.now();
        const answer = await chrome.runtime.sendMessage({
          id: Date.now(),
          type: 'captureSelection',
          data: { tabId: tab },
          timestamp: Date.now(),
        });
        const t1 = performance.now();
        const id = answer?.res?.evidence?.id as string | undefined;
        if (!answer?.res?.ok || id === undefined)
          throw new Error(`capture failed: ${JSON.stringify(answer)}`);
        const found = await new Promise<boolean>((resolve, reject) => {
          const open = indexedDB.open('cxplan');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('evidence').objectStore('evidence').get(id);
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result !== undefined);
            };
            req.onerror = () => reject(req.error);
          };
        });
        if (!found) throw new Error('row not committed');
        return {
          answerMs: t1 - t0,
          committedMs: performance.now() - t0,
          serverMs: answer.res.durationMs as number,
        };
      }, tabId);
      if (i >= 5) latencies.push(m); // the first few warm up the worker and the page
    }

    // 4. Bulk insert, service vs raw IndexedDB, alternating rounds in the same browser.
    const bundle = await build({
      entryPoints: [join(REPO_ROOT, 'bench', 'capture-browser', 'storage-entry.ts')],
      bundle: true,
      format: 'iife',
      write: false,
      platform: 'browser',
      target: 'chrome120',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    await helper.evaluate(code);
    const service: number[] = [];
    const raw: number[] = [];
    for (let r = 0; r < BULK_ROUNDS; r++) {
      raw.push(
        await helper.evaluate(
          (n) =>
            (
              globalThis as never as { cxplanBench: { rawInsert(n: number): Promise<number> } }
            ).cxplanBench.rawInsert(n),
          BULK_ROWS,
        ),
      );
      service.push(
        await helper.evaluate(
          (n) =>
            (
              globalThis as never as { cxplanBench: { serviceInsert(n: number): Promise<number> } }
            ).cxplanBench.serviceInsert(n),
          BULK_ROWS,
        ),
      );
    }

    const popup = popupJs();
    const committed = latencies.map((l) => l.committedMs);
    const popupGzip = popup.reduce((a, f) => a + f.gzipBytes, 0);
    const ratio = median(service) / median(raw);
    const result: BenchResult & { details: unknown } = {
      benchmark: 'capture',
      ranAt: new Date().toISOString(),
      machine: machineInfo(true),
      runs: latencies.length,
      figures: [
        {
          what: `capture latency (captureSelection message → row committed in IndexedDB, ${latencies.length} captures)`,
          value: round(median(committed)),
          unit: 'ms',
          stat: 'median',
          target: '≤ 50 ms',
          met: median(committed) <= 50,
          note: `p95 ${round(percentile(committed, 95))} ms; background alone ${round(median(latencies.map((l) => l.serverMs)))} ms`,
        },
        {
          what: 'bytes injected into a page before capture (built manifest + a page visit)',
          value: manifestBytes + visitInjection.bytes,
          unit: 'bytes',
          stat: 'total',
          target: '0',
          met: manifestBytes === 0 && visitInjection.bytes === 0 && visitInjection.contexts === 0,
          note: `${manifestContentScripts.length} manifest content scripts; ${visitInjection.contexts} extension worlds on visit`,
        },
        ...popup.map((f) => ({
          what: `popup JS ${f.file.replace(/^\/chunks\//, '')} (gzip)`,
          value: f.gzipBytes,
          unit: 'bytes',
          stat: 'single' as const,
        })),
        {
          what: 'popup JS, all files of the entry (gzip)',
          value: popupGzip,
          unit: 'bytes',
          stat: 'total',
          target: '≤ 40 kB',
          met: popupGzip <= 40 * 1024,
        },
        {
          what: `bulk insert of ${BULK_ROWS} evidence rows through the storage service vs raw IndexedDB`,
          value: round(ratio, 3),
          unit: '×',
          stat: 'ratio',
          target: '≤ 1.2×',
          met: ratio <= 1.2,
          baseline: {
            what: 'raw IndexedDB, same rows and indexes (median)',
            value: round(median(raw)),
            unit: 'ms',
          },
          note: `storage service median ${round(median(service))} ms over ${BULK_ROUNDS} alternating rounds`,
        },
      ],
      details: {
        latencies: committed.map((x) => round(x)),
        popupFiles: popup,
        injectionOnVisit: visitInjection,
        hostPermissions: manifest.host_permissions ?? [],
        bulkInsertMs: { raw: raw.map((x) => round(x)), service: service.map((x) => round(x)) },
      },
    };
    const file = writeResult(result);
    console.log(JSON.stringify(result.figures, null, 2));
    console.log(`written: ${file}`);
  } finally {
    await xb.close();
    await server.close();
  }
}

await main();
