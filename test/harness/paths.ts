import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The extension workspace. */
export const EXTENSION_DIR = join(REPO_ROOT, 'extension');
/** Where WXT writes the builds: the test run's own directory (set by global-setup.ts), else extension/.output. */
export const OUTPUT_DIR = process.env.CXPLAN_OUTPUT_DIR ?? join(EXTENSION_DIR, '.output');
/** The built Chrome MV3 extension that the tests load. */
export const CHROME_BUILD = join(OUTPUT_DIR, 'chrome-mv3');
/** The built Firefox MV2 add-on that test/firefox/ installs in Firefox ESR. */
export const FIREFOX_BUILD = join(OUTPUT_DIR, 'firefox-mv2');
/** Ignored folder for things tests write (screenshots, exports). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test', '.artifacts');
/** The Chromium the tests drive (Debian's package; override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The Firefox the Firefox tests drive (Debian's `firefox-esr`; override with FIREFOX_PATH). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
