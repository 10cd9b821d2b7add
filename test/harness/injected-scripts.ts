import type { Page } from 'playwright-core';

/** What an extension has run inside a page so far. */
export interface InjectionCount {
  /** Isolated worlds the extension created in the page (executeScript or content scripts). */
  contexts: number;
  /** Scripts compiled in those worlds. */
  scripts: number;
  /** Their total source length in bytes (UTF-8). */
  bytes: number;
}

/**
 * Watches a page over CDP and counts the scripts an extension runs in it: every execution context whose origin is
 * the extension, and the size of every script parsed in one. Attach before navigating.
 */
export async function countExtensionScripts(
  page: Page,
  extensionId: string,
): Promise<{ snapshot(): Promise<InjectionCount> }> {
  const cdp = await page.context().newCDPSession(page);
  const contexts = new Set<number>();
  const sizes: Promise<number>[] = [];
  let scripts = 0;
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.origin.includes(extensionId) || context.name.includes(extensionId)) contexts.add(context.id);
  });
  cdp.on('Debugger.scriptParsed', (e) => {
    if (!contexts.has(e.executionContextId)) return;
    scripts++;
    sizes.push(
      cdp
        .send('Debugger.getScriptSource', { scriptId: e.scriptId })
        .then((s) => Buffer.byteLength(s.scriptSource, 'utf8'))
        .catch(() => 0),
    );
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  return {
    snapshot: async () => {
      const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
      return { contexts: contexts.size, scripts, bytes };
    },
  };
}
