import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A page the server answers with; a function is called per request (so a test can change a page between loads). */
export type PageSource = string | (() => string);

/** A local HTTP server on 127.0.0.1 serving test pages from memory. */
export interface PageServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Absolute URL of a path. */
  url(path: string): string;
  /** Adds or replaces a page. */
  set(path: string, page: PageSource): void;
  close(): Promise<void>;
}

/** Starts a server on an ephemeral port of 127.0.0.1 serving `pages` (path → HTML) as text/html. */
export async function startPageServer(pages: Record<string, PageSource> = {}): Promise<PageServer> {
  const table = new Map<string, PageSource>(Object.entries(pages));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const page = table.get(path);
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(typeof page === 'function' ? page() : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    set: (path, page) => void table.set(path, page),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A minimal HTML document with a title and body markup. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}
