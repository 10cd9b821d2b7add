import type { Frame, Page } from 'playwright-core';

/**
 * Selects the first occurrence of `text` inside the element matching `selector` in the document it runs in, the
 * way a user's drag would: a DOM Range over the text nodes, made the document's selection. Evaluated in a page by
 * either harness (Playwright's for Chromium, puppeteer's for Firefox); true when something is selected.
 */
export function selectInDocument({ selector, text }: { selector: string; text: string }): boolean {
  const root = document.querySelector(selector);
  if (!root) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const whole = nodes.map((n) => n.data).join('');
  const at = whole.indexOf(text);
  if (at < 0) return false;
  const range = document.createRange();
  let acc = 0;
  let started = false;
  for (const n of nodes) {
    const len = n.data.length;
    if (!started && at < acc + len) {
      range.setStart(n, at - acc);
      started = true;
    }
    if (started && at + text.length <= acc + len) {
      range.setEnd(n, at + text.length - acc);
      break;
    }
    acc += len;
  }
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
  return (sel?.toString().length ?? 0) > 0;
}

/**
 * Selects the first occurrence of `text` inside the element matching `selector` (in a page or a frame), the way a
 * user's drag would: a DOM Range over the text nodes, made the document's selection.
 */
export async function selectText(target: Page | Frame, selector: string, text: string): Promise<void> {
  const found = await target.evaluate(selectInDocument, { selector, text });
  if (!found) throw new Error(`could not select "${text}" in ${selector}`);
}
