import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_JS_BUDGET_KB, pageJsFiles, pageJsGzip } from '../harness/page-js';
import { CHROME_BUILD } from '../harness/paths';

/**
 * Bundle budgets (issue 16): the gzip size of the JavaScript each page loads — its entry and every chunk it
 * imports, statically or on demand — read from the production build the browser tests run on (global-setup.ts).
 */
describe('bundle budgets', () => {
  for (const [html, budgetKb] of Object.entries(PAGE_JS_BUDGET_KB)) {
    it(`${html} loads at most ${budgetKb} kB of JavaScript, gzip`, () => {
      const { files, total } = pageJsGzip(CHROME_BUILD, html);
      console.log(`${html}: ${(total / 1024).toFixed(1)} kB gzip`, files);
      expect(Object.keys(files).length).toBeGreaterThan(0);
      expect(total / 1024).toBeLessThanOrEqual(budgetKb);
    });
  }

  it('counts chunks imported on demand and through other chunks, not only those the HTML names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxplan-page-js-'));
    try {
      mkdirSync(join(dir, 'chunks'));
      writeFileSync(join(dir, 'p.html'), '<script type="module" src="/chunks/a.js"></script>');
      writeFileSync(join(dir, 'chunks', 'a.js'), 'import{x}from"./b.js";import("./c.js");');
      writeFileSync(join(dir, 'chunks', 'b.js'), 'import "./a.js";export const x=1;');
      writeFileSync(join(dir, 'chunks', 'c.js'), 'export const y=2;');
      writeFileSync(join(dir, 'chunks', 'unused.js'), 'export const z=3;');
      expect(pageJsFiles(dir, 'p.html')).toEqual(['chunks/a.js', 'chunks/b.js', 'chunks/c.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
