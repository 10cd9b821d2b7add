import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './paths';

/** Where browser tests write screenshots of the workspace for review (git-ignored). */
export const SHOTS_DIR = join(REPO_ROOT, 'test', 'screenshots');

/** Creates the screenshot folder (tests call it once before they run). */
export function ensureShotsDir(): void {
  mkdirSync(SHOTS_DIR, { recursive: true });
}

/** Goes to a screen of the dashboard (`#screen` or `#screen/<focus id>`) and waits for its title. */
export async function goToScreen(page: Page, hash: string, title: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}
