import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets of the JavaScript each extension page loads, gzip, in kB of 1024 bytes (issue 16). */
export const PAGE_JS_BUDGET_KB: Readonly<Record<string, number>> = {
  'dashboard.html': 150,
  'popup.html': 40,
};

/**
 * The JavaScript files an extension page of a build can load: the scripts and module preloads its HTML names, and
 * every chunk those import, statically (`from "./x.js"`) or on demand (`import("./x.js")`), followed to the end.
 * Paths are relative to the build directory.
 */
export function pageJsFiles(buildDir: string, html: string): string[] {
  const text = readFileSync(join(buildDir, html), 'utf8');
  const queue = [...text.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) =>
    join(buildDir, (m[1] ?? '').replace(/^\//, '')),
  );
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const js = readFileSync(file, 'utf8');
    for (const m of js.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+\.js)["']/g))
      queue.push(join(dirname(file), m[1] ?? ''));
  }
  return [...seen].map((f) => relative(buildDir, f)).sort();
}

/** Gzip (level 9) bytes of each JavaScript file a page can load (see {@link pageJsFiles}), and their sum. */
export function pageJsGzip(buildDir: string, html: string): { files: Record<string, number>; total: number } {
  const files: Record<string, number> = {};
  for (const f of pageJsFiles(buildDir, html))
    files[f] = gzipSync(readFileSync(join(buildDir, f)), { level: 9 }).length;
  return { files, total: Object.values(files).reduce((a, b) => a + b, 0) };
}
