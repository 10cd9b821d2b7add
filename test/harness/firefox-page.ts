import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { selectInDocument } from './select-text';
import { SHOTS_DIR } from './workspace-page';

/** Selects `text` inside `selector` on a page in Firefox, as a user's drag would (see select-text.ts). */
export async function selectOnPage(page: Page, selector: string, text: string): Promise<void> {
  if (!(await page.evaluate(selectInDocument, { selector, text })))
    throw new Error(`could not select "${text}" in ${selector}`);
}

/** Waits until the page shows a level-1 heading reading exactly `title`. */
export async function waitForHeading(page: Page, title: string): Promise<void> {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('h1')].some((h) => h.textContent?.trim() === t),
    { timeout: 15_000 },
    title,
  );
}

/** Goes to a screen of the dashboard (`#screen` or `#screen/<focus id>`) and waits for its title. */
export async function goToScreen(page: Page, hash: string, title: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await waitForHeading(page, title);
}

/** Clicks the button whose text (or accessible name) is exactly `name`, once it is there and enabled. */
export async function clickButton(page: Page, name: string): Promise<void> {
  await page.locator(`::-p-aria([name="${name}"][role="button"])`).click();
}

/** Waits until some element of the page shows `text`, and returns the text of the innermost one. */
export async function waitForText(page: Page, text: string): Promise<string> {
  const found = await page.waitForSelector(`::-p-text(${text})`, { timeout: 15_000 });
  if (found === null) throw new Error(`no element shows "${text}"`);
  const shown = await found.evaluate((el) => el.textContent ?? '');
  await found.dispose();
  return shown;
}

/** How many elements match a selector right now. */
export function countOf(page: Page, selector: string): Promise<number> {
  return page.$$eval(selector, (els) => els.length);
}

/** Saves a screenshot of the page's 1280×800 viewport to test/screenshots (ignored) as `firefox-<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS_DIR, `firefox-${name}.png`);
  await page.screenshot({ path: path as `${string}.png` });
  return path;
}
