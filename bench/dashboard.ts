// Dashboard benchmark (issue 5), in Debian Chromium with the built extension:
//   1. open the dashboard and show the heat map, with 100k evidence, 2k events and 5k actions in IndexedDB
//      (target ≤ 500 ms): navigation start → heat map rendered, fresh page each run;
//   2. filter the inbox (target ≤ 100 ms): filter changed → first page of matches rendered, per kind of filter,
//      plus the worst case (a filter no index serves that matches nothing, so every row is walked);
//   3. draw a metric's trend chart on the Progress screen (target ≤ 50 ms): chart created → first draw.
// The data is seeded through the extension's StorageService in the same browser. Medians of repeated runs.
// Writes bench/results/dashboard.json (shared format, bench/lib/machine.ts). Run: npx tsx bench/dashboard.ts
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { buildExtension } from '../test/harness/build-extension';
import { launchExtensionBrowser } from '../test/harness/extension-browser';
import { PAGE_JS_BUDGET_KB, pageJsGzip } from '../test/harness/page-js';
import { CHROME_BUILD, REPO_ROOT } from '../test/harness/paths';
import { type Figure, machineInfo, median, writeResult } from './lib/machine';

const EVIDENCE = Number(process.env.EVIDENCE ?? 100_000);
const EVENTS = Number(process.env.EVENTS ?? 2_000);
const ACTIONS = Number(process.env.ACTIONS ?? 5_000);
const RUNS = Number(process.env.RUNS ?? 7);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

type Bench = {
  seed(e: number, ev: number, a: number): Promise<Record<string, number>>;
  rawReadAll(): Promise<number>;
};

/** Opens the dashboard on the heat map in a fresh page; ms from navigation start to the heat map rendered. */
async function openHeatMap(
  open: () => Promise<Page>,
): Promise<{ totalMs: number; scriptStartMs: number; readMs: number; computeMs: number; page: Page }> {
  const page = await open();
  await page.waitForFunction(() => document.body.dataset.heatmapReady !== undefined, null, {
    timeout: 60_000,
  });
  const m = await page.evaluate(() => ({
    totalMs: Number(document.body.dataset.heatmapReady) - performance.timeOrigin,
    scriptStartMs: Number(document.body.dataset.scriptStartMs),
    readMs: Number(document.body.dataset.readMs),
    computeMs: Number(document.body.dataset.heatmapComputeMs),
  }));
  return { ...m, page };
}

/** Changes one inbox filter control and measures until the matching rows are rendered (next frame). */
function filterOnce(page: Page, control: string, value: string): Promise<number> {
  return page.evaluate(
    ({ control, value }) =>
      new Promise<number>((resolve) => {
        const label = Array.from(document.querySelectorAll('form.filters label')).find((l) =>
          (l.textContent ?? '').trim().startsWith(control),
        );
        const input = label?.querySelector('select, input') as HTMLInputElement | HTMLSelectElement | null;
        if (!input) throw new Error(`no filter ${control}`);
        const before = document.body.dataset.inboxReady;
        const observer = new MutationObserver(() => {
          if (document.body.dataset.inboxReady === before) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        observer.observe(document.body, { attributes: true, attributeFilter: ['data-inbox-ready'] });
        const t0 = performance.now();
        if (input instanceof HTMLInputElement && input.type === 'checkbox') {
          input.checked = value === 'on';
          input.dispatchEvent(new Event('change', { bubbles: true }));
        } else {
          input.value = value;
          input.dispatchEvent(
            new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
          );
        }
      }),
    { control, value },
  );
}

async function main(): Promise<void> {
  buildExtension();
  const xb = await launchExtensionBrowser();
  try {
    const bundle = await build({
      entryPoints: [join(REPO_ROOT, 'bench', 'dashboard-browser', 'seed-entry.ts')],
      bundle: true,
      format: 'iife',
      write: false,
      platform: 'browser',
      target: 'chrome120',
    });
    const helper = await xb.openExtensionPage('/popup.html');
    await helper.evaluate(bundle.outputFiles[0]?.text ?? '');
    console.log(
      `seeding ${EVIDENCE} evidence, ${EVENTS} events, ${ACTIONS} actions through the storage service…`,
    );
    const seeded = await helper.evaluate(
      ([e, ev, a]) =>
        (globalThis as unknown as { cxplanDashboardBench: Bench }).cxplanDashboardBench.seed(e, ev, a),
      [EVIDENCE, EVENTS, ACTIONS] as const,
    );
    console.log('seeded', seeded);
    const rawReads: number[] = [];
    for (let i = 0; i < 3; i++) {
      rawReads.push(
        await helper.evaluate(() =>
          (globalThis as unknown as { cxplanDashboardBench: Bench }).cxplanDashboardBench.rawReadAll(),
        ),
      );
    }

    // 1. Open → heat map. One warm-up (first compile of the page's code), then RUNS fresh pages.
    const opens: { totalMs: number; scriptStartMs: number; readMs: number; computeMs: number }[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const { page, ...m } = await openHeatMap(() => xb.openExtensionPage('/dashboard.html#heatmap'));
      await page.close();
      if (i > 0) opens.push(m);
      console.log('open → heat map', m);
    }

    // 2. Inbox filters, each applied and cleared RUNS times on one open inbox.
    const inbox = await xb.openExtensionPage('/dashboard.html#inbox');
    await inbox.waitForFunction(() => document.body.dataset.inboxReady !== undefined, null, {
      timeout: 60_000,
    });
    const scenarios: { what: string; control: string; value: string; reset: string; worst?: true }[] = [
      { what: 'source kind = partner', control: 'Source', value: 'partner', reset: '' },
      { what: 'stage = Pay', control: 'Stage', value: 'stage-pay', reset: '' },
      { what: 'customer event (indexed)', control: 'Event', value: 'ev-17', reset: '' },
      { what: 'sentiment = −2', control: 'Sentiment', value: '-2', reset: '' },
      { what: 'untagged only (1 % of rows)', control: 'Untagged', value: 'on', reset: '' },
      { what: 'search "refund" (a word in 1 row of 8)', control: 'Search', value: 'refund', reset: '' },
      {
        what: 'search for a word no row contains (word index)',
        control: 'Search',
        value: 'zzzqx',
        reset: '',
      },
      {
        what: 'search "customer 4217" (two words, one rare)',
        control: 'Search',
        value: 'customer 4217',
        reset: '',
      },
      { what: 'captured by "user7" (1 row of 20)', control: 'Captured by', value: 'user7', reset: '' },
      {
        what: 'captured by someone who captured nothing',
        control: 'Captured by',
        value: 'nobody',
        reset: '',
      },
      {
        what: 'search "frustrating fine": two common words no clip has together (the worst case)',
        control: 'Search',
        value: 'frustrating fine',
        reset: '',
        worst: true,
      },
    ];
    const filterFigures: Figure[] = [];
    for (const s of scenarios) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        times.push(await filterOnce(inbox, s.control, s.value));
        await filterOnce(inbox, s.control, s.reset);
      }
      const value = round(median(times));
      filterFigures.push({
        what: `inbox filter: ${s.what} → first page rendered (${EVIDENCE / 1000}k evidence)`,
        value,
        unit: 'ms',
        stat: 'median',
        // The worst case (each word in a third or more of the rows, none together) used to walk every row
        // (1.8–2.8 s); the word index's keys are now intersected instead, with the same target as the rest.
        ...(s.worst ? { note: 'worst case: both words are common and no clip has both' } : {}),
        target: '≤ 100 ms',
        met: value <= 100,
      });
      console.log(
        s.what,
        times.map((t) => round(t)),
      );
    }

    // 3. Trend charts: the Progress screen draws one per metric with readings (the 20 organisation goals, 12
    // readings each); each chart leaves its own build + first-draw ms, and when it started and ended. RUNS pages.
    const draws: number[] = [];
    const screens: number[] = [];
    let charts = 0;
    for (let i = 0; i < RUNS; i++) {
      const progress = await xb.openExtensionPage('/dashboard.html#progress');
      await progress.waitForFunction(
        () => {
          const all = document.querySelectorAll('.trend-chart-plot');
          return (
            all.length > 0 && Array.from(all).every((c) => (c as HTMLElement).dataset.drawMs !== undefined)
          );
        },
        null,
        { timeout: 60_000 },
      );
      const m = await progress.evaluate(() => {
        const all = Array.from(document.querySelectorAll<HTMLElement>('.trend-chart-plot'));
        return {
          each: all.map((c) => Number(c.dataset.drawMs)),
          screen:
            Math.max(...all.map((c) => Number(c.dataset.drawEnd))) -
            Math.min(...all.map((c) => Number(c.dataset.drawStart))),
        };
      });
      await progress.close();
      charts = m.each.length;
      draws.push(...m.each);
      screens.push(m.screen);
      console.log('trend chart draws', m);
    }
    const drawMedian = round(median(draws));
    const drawMax = round(Math.max(...draws));

    const openMedian = round(median(opens.map((o) => o.totalMs)));
    writeResult({
      benchmark: 'dashboard',
      ranAt: new Date().toISOString(),
      machine: machineInfo(true),
      runs: RUNS,
      figures: [
        {
          what: `open the dashboard and show the heat map (${EVIDENCE / 1000}k evidence, ${EVENTS} events, ${ACTIONS} actions in IndexedDB)`,
          value: openMedian,
          unit: 'ms',
          stat: 'median',
          target: '≤ 500 ms',
          met: openMedian <= 500,
          baseline: {
            what: 'raw IndexedDB getAll of every evidence row',
            value: round(median(rawReads)),
            unit: 'ms',
          },
          note: `medians: the page's script starts at ${round(median(opens.map((o) => o.scriptStartMs)))} ms; reading the workspace (small collections, each row parsed, + the heat-map counts; no evidence row) ${round(median(opens.map((o) => o.readMs)))} ms; core heat map from the counts ${round(median(opens.map((o) => o.computeMs)))} ms; the rest is rendering`,
        },
        ...filterFigures,
        {
          what: "draw one metric's trend chart (uPlot, 12 readings, expected line and target): its build + its first draw",
          value: drawMedian,
          unit: 'ms',
          stat: 'median',
          target: '≤ 50 ms',
          met: drawMax <= 50,
          note: `building the chart and its own first draw; ${draws.length} draws (${charts} charts on the Progress screen × ${RUNS} fresh pages); slowest ${drawMax} ms`,
        },
        {
          what: `draw all ${charts} trend charts of the Progress screen: first chart created → last chart drawn`,
          value: round(median(screens)),
          unit: 'ms',
          stat: 'median',
          note: 'the charts are built in one task and drawn together; includes the page layout the first chart reads its width from',
        },
        {
          what: 'dashboard page JavaScript, gzip (its entry and every chunk it imports)',
          value: round(pageJsGzip(CHROME_BUILD, 'dashboard.html').total / 1024),
          unit: 'kB',
          stat: 'single',
          target: `≤ ${PAGE_JS_BUDGET_KB['dashboard.html']} kB`,
          met:
            pageJsGzip(CHROME_BUILD, 'dashboard.html').total / 1024 <=
            (PAGE_JS_BUDGET_KB['dashboard.html'] ?? 0),
          baseline: {
            what: `popup page JavaScript, gzip (budget ≤ ${PAGE_JS_BUDGET_KB['popup.html']} kB)`,
            value: round(pageJsGzip(CHROME_BUILD, 'popup.html').total / 1024),
            unit: 'kB',
          },
        },
      ],
    });
  } finally {
    await xb.close();
  }
}

await main();
