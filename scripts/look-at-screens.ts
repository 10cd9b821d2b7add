/**
 * Screenshots of every dashboard screen with the sample workspace, at 1280 × 800 and 1024 × 768, for a person to
 * look at (test/screenshots/look-<width>-<screen>.png, git-ignored). Builds the Chrome extension first unless
 * CXPLAN_SKIP_BUILD=1. Run: `npx tsx scripts/look-at-screens.ts [screen ...]` (default: every screen);
 * LOOK_SCHEME=dark shows the dark theme.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS } from '../extension/src/workspace/workspace-context';
import { buildExtension } from '../test/harness/build-extension';
import { launchExtensionBrowser } from '../test/harness/extension-browser';
import { SHOTS_DIR } from '../test/harness/workspace-page';

const wanted = process.argv.slice(2);
const scheme = process.env.LOOK_SCHEME === 'dark' ? 'dark' : 'light';
mkdirSync(SHOTS_DIR, { recursive: true });
buildExtension();
const xb = await launchExtensionBrowser();
try {
  const page = await xb.openExtensionPage('/dashboard.html#home');
  await page.emulateMedia({ colorScheme: scheme });
  await page.getByRole('button', { name: 'Load the sample workspace' }).click();
  await page.getByText('Sample workspace.', { exact: false }).first().waitFor();
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const [id, title] of SCREENS) {
      if (wanted.length > 0 && !wanted.includes(id)) continue;
      await page.evaluate((h) => {
        location.hash = h;
      }, id);
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      await page.waitForTimeout(400);
      const file = join(SHOTS_DIR, `look-${scheme === 'dark' ? 'dark-' : ''}${width}-${id}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
    // The options page and the popup (opened as a tab) with the same workspace.
    for (const extra of ['options', 'popup']) {
      if (wanted.length > 0 && !wanted.includes(extra)) continue;
      const other = await xb.openExtensionPage(`/${extra}.html`);
      await other.emulateMedia({ colorScheme: scheme });
      await other.setViewportSize(extra === 'popup' ? { width: 400, height: 600 } : { width, height });
      await other.waitForTimeout(600);
      const file = join(SHOTS_DIR, `look-${scheme === 'dark' ? 'dark-' : ''}${width}-${extra}.png`);
      await other.screenshot({ path: file });
      console.log(file);
      await other.close();
    }
  }
} finally {
  await xb.close();
}
