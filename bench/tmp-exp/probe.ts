import { join } from 'node:path';
import { build } from 'esbuild';
import { buildExtension } from '../../test/harness/build-extension';
import { launchExtensionBrowser } from '../../test/harness/extension-browser';
import { REPO_ROOT } from '../../test/harness/paths';

async function main(): Promise<void> {
  buildExtension();
  const xb = await launchExtensionBrowser();
  const bundle = (f: string) => build({ entryPoints: [join(REPO_ROOT, 'bench', f)], bundle: true, format: 'iife', write: false, platform: 'browser', target: 'chrome120' });
  const page = await xb.openExtensionPage('/popup.html');
  await page.evaluate((await bundle('dashboard-browser/seed-entry.ts')).outputFiles[0]?.text ?? '');
  await page.evaluate(() => (globalThis as any).cxplanDashboardBench.seed(100000, 2000, 5000));
  await page.evaluate((await bundle('tmp-exp/probe-entry.ts')).outputFiles[0]?.text ?? '');
  console.log(await page.evaluate(() => (globalThis as any).probe()));
  await xb.close();
}
void main();
