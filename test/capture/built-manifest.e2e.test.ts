import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROME_BUILD, FIREFOX_BUILD } from '../harness/paths';

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  content_scripts?: unknown[];
  browser_specific_settings?: { gecko?: { id?: string } };
}

const read = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

/** What the capture flow needs, and nothing more (README.md gives the reason for each). */
const CAPTURE_PERMISSIONS = ['activeTab', 'scripting', 'contextMenus', 'storage', 'alarms'];
/** Permissions Firefox does not support; a Firefox manifest listing them fails to install or warns. */
const CHROME_ONLY = [
  'sidePanel',
  'offscreen',
  'tabGroups',
  'readingList',
  'favicon',
  'tabCapture',
  'debugger',
];
const isHostPattern = (p: string): boolean => p.includes('://') || p === '<all_urls>';

describe('built manifests', () => {
  for (const [name, dir] of [
    ['Chrome MV3', CHROME_BUILD],
    ['Firefox', FIREFOX_BUILD],
  ] as const) {
    it(`${name}: no content scripts, no host permissions, only the capture permissions`, () => {
      const m = read(dir);
      expect(m.content_scripts ?? []).toEqual([]);
      expect(m.host_permissions ?? []).toEqual([]);
      expect((m.permissions ?? []).filter(isHostPattern)).toEqual([]);
      expect(JSON.stringify(m)).not.toContain('<all_urls>');
      for (const p of CAPTURE_PERMISSIONS) expect(m.permissions).toContain(p);
    });
  }

  it('Firefox: has a gecko id and no Chrome-only permissions', () => {
    const m = read(FIREFOX_BUILD);
    expect(m.browser_specific_settings?.gecko?.id).toMatch(/^[\w.-]+@[\w.-]+$/);
    const all = [...(m.permissions ?? []), ...(m.optional_permissions ?? [])];
    expect(all.filter((p) => CHROME_ONLY.includes(p))).toEqual([]);
  });
});
