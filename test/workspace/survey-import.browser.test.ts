import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../harness/axe';
import { type ExtensionBrowser, launchExtensionBrowser } from '../harness/extension-browser';
import { REPO_ROOT } from '../harness/paths';
import { ensureShotsDir, goToScreen, SHOTS_DIR } from '../harness/workspace-page';

/**
 * Survey exports through the Data screen's preview in real Chromium with the built extension: the Qualtrics export
 * (three header rows, Denver time) and a German Excel file (Windows-1252, semicolons, DD.MM.YYYY) are recognised,
 * previewed as clips before anything is stored, imported, and imported again without adding anything.
 * The browser decodes Windows-1252 itself (no Node decoder is involved).
 */
const FIXTURES = join(REPO_ROOT, 'shared', 'src', 'testing', 'survey-exports');
let xb: ExtensionBrowser;
let page: Page;

interface EvidenceRow {
  id: string;
  text: string;
  score?: number;
  sentiment?: number;
  segment?: string;
  origin: { capturedAt: string; givenAt?: string; file?: string; line?: number; via?: string };
}
const evidence = (): Promise<EvidenceRow[]> => xb.readTable<EvidenceRow>('evidence');
const importedFrom = async (file: string): Promise<EvidenceRow[]> =>
  (await evidence())
    .filter((e) => e.origin.file === file)
    .sort((a, b) => (a.origin.line ?? 0) - (b.origin.line ?? 0));

/** A 1280×800 screenshot with the import section at the top (test/screenshots, ignored), for review. */
async function shot(name: string): Promise<void> {
  await page.locator('#csv-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
}

/** The preview table's rows as text cells. */
async function previewRows(): Promise<string[][]> {
  return page
    .locator('table.preview-rows tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()),
      ),
    );
}

beforeAll(async () => {
  ensureShotsDir();
  xb = await launchExtensionBrowser();
  page = await xb.openExtensionPage('/dashboard.html#data');
  page.on('pageerror', (e) => console.error('dashboard page error:', e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await goToScreen(page, 'data', 'Data');
});
afterAll(async () => {
  await xb?.close();
});

describe('survey import with a preview', () => {
  it('Qualtrics: recognised, header rows skipped, mapped from the question texts, times in Denver', async () => {
    await page.getByLabel('Survey export file').setInputFiles(join(FIXTURES, 'qualtrics-nps.csv'));
    const facts = page.getByRole('region', { name: 'How the file is read' });
    await expect.poll(() => facts.textContent()).toContain('a Qualtrics export; 2 more header rows skipped');
    expect(await page.getByLabel('Encoding').inputValue()).toBe('utf-8');
    expect(await page.getByLabel('Separator').inputValue()).toBe(',');
    const mapping = page.getByRole('group', { name: 'Column mapping' });
    expect(await mapping.getByLabel('Feedback text (required)').inputValue()).toBe('Q2');
    expect(await mapping.getByLabel('Score', { exact: true }).inputValue()).toBe('Q1');
    expect(await mapping.getByLabel('Score scale').inputValue()).toBe('nps');
    expect(await mapping.getByLabel('When it was given').inputValue()).toBe('RecordedDate');
    expect(await mapping.getByLabel('Segment').inputValue()).toBe('Q3');
    await expect
      .poll(() => page.locator('.import-dates').textContent())
      .toContain('Times are in America/Denver, as the export states.');
    await expect
      .poll(() => page.locator('.import-counts').textContent())
      .toContain('6 rows will become clips; 0 will be refused.');
    const rows = await previewRows();
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual([
      '4',
      'The invoice was wrong twice and nobody called back.',
      '−2 very negative NPS 3',
      '2026-11-02 09:14',
      'Pro',
    ]);
    expect(rows[3]).toEqual([
      '8',
      '(no comment) NPS score 6',
      '−1 negative NPS 6',
      '2026-11-04 08:21',
      'Pro',
    ]);
    // Nothing is stored before Import.
    expect(await importedFrom('qualtrics-nps.csv')).toEqual([]);
    await shot('survey-import-qualtrics-preview');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Import 6 rows' }).click();
    await expect
      .poll(() => page.locator('.import-summary').textContent())
      .toBe('6 rows imported, 0 already imported before (skipped), 0 refused.');
    const stored = await importedFrom('qualtrics-nps.csv');
    expect(
      stored.map((e) => [e.text.slice(0, 20), e.score, e.sentiment, e.segment, e.origin.givenAt]),
    ).toEqual([
      ['The invoice was wron', 3, -2, 'Pro', '2026-11-02T16:14:11.000Z'],
      ['Setup took ten minut', 10, 2, 'Basic', '2026-11-02T17:03:02.000Z'],
      ['Fine overall.\nThe mo', 7, 0, 'Enterprise', '2026-11-03T23:47:55.000Z'],
      ['(no comment) NPS sco', 6, -1, 'Pro', '2026-11-04T15:21:31.000Z'],
      ['Delivery was on time', 9, 1, 'Basic', '2026-11-05T20:05:44.000Z'],
      ['Cancelled after the ', 0, -2, 'Pro', '2026-11-07T02:31:12.000Z'],
    ]);
    expect(stored[0]?.id).toMatch(/^imp-[0-9a-f]{8}-[0-9a-z]+-r-R_1Fz8QvK2mXa0bcD$/);
    // capturedAt is when it entered cxplan, apart from when it was given.
    expect(stored[0]?.origin.capturedAt).not.toBe(stored[0]?.origin.givenAt);
  });

  it('Qualtrics again: importing the same file twice adds nothing the second time', async () => {
    const before = (await evidence()).length;
    await page.getByLabel('Survey export file').setInputFiles(join(FIXTURES, 'qualtrics-nps.csv'));
    await expect
      .poll(() => page.locator('.import-counts').textContent())
      .toContain('6 rows will become clips');
    await page.getByRole('button', { name: 'Import 6 rows' }).click();
    await expect
      .poll(() => page.locator('.import-summary').textContent())
      .toBe('0 rows imported, 6 already imported before (skipped), 0 refused.');
    expect((await evidence()).length).toBe(before);
  });

  it('German Excel file: Windows-1252 and ";" detected, dotted dates day-first in the chosen zone', async () => {
    await page.getByLabel('Survey export file').setInputFiles(join(FIXTURES, 'excel-german.csv'));
    await expect.poll(() => page.getByLabel('Encoding').inputValue()).toBe('windows-1252');
    expect(await page.getByLabel('Separator').inputValue()).toBe(';');
    await expect
      .poll(() => page.getByRole('region', { name: 'How the file is read' }).textContent())
      .toContain('no known survey tool');
    const mapping = page.getByRole('group', { name: 'Column mapping' });
    expect(await mapping.getByLabel('Feedback text (required)').inputValue()).toBe('Kommentar');
    expect(await mapping.getByLabel('Score', { exact: true }).inputValue()).toBe('Weiterempfehlung (0-10)');
    expect(await mapping.getByLabel('When it was given').inputValue()).toBe('Datum');
    expect(await mapping.getByLabel('Segment').inputValue()).toBe('Kundengruppe');
    expect(await page.getByLabel('Day/month order').inputValue()).toBe('dmy');
    // The export states no zone: the user picks one (the browser's is the default).
    await page.getByLabel('Time zone of the times in the file').selectOption('Europe/Berlin');
    await expect
      .poll(() => page.locator('.import-counts').textContent())
      .toContain('4 rows will become clips; 0 will be refused.');
    await expect
      .poll(() => previewRows())
      .toEqual([
        [
          '2',
          'Die Lieferung kam zwei Tage zu spät.',
          '−2 very negative NPS 3',
          '2026-11-02 09:14',
          'Privatkunde',
        ],
        ['3', 'Schnelle Hilfe am Telefon, danke!', '+1 positive NPS 9', '2026-11-02 11:30', 'Geschäftskunde'],
        [
          '4',
          'Die Rechnung über 49,90 € war „unverständlich“; bitte einfacher.',
          '−1 negative NPS 6',
          '2026-11-05 16:05',
          'Privatkunde',
        ],
        [
          '5',
          'Größte Auswahl, beste Preise.',
          '+2 very positive NPS 10',
          '2026-11-13 08:45',
          'Geschäftskunde',
        ],
      ]);
    await shot('survey-import-german-preview');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Read as UTF-8, the umlauts would be garbled: the encoding is shown and can be changed.
    await page.getByLabel('Encoding').selectOption('utf-8');
    await expect
      .poll(async () => (await previewRows())[0]?.[1])
      .toBe('Die Lieferung kam zwei Tage zu sp\uFFFDt.');
    await page.getByLabel('Encoding').selectOption('windows-1252');
    await page.getByLabel('Time zone of the times in the file').selectOption('Europe/Berlin');
    await expect.poll(async () => (await previewRows())[0]?.[1]).toBe('Die Lieferung kam zwei Tage zu spät.');
    await expect.poll(async () => (await previewRows())[0]?.[3]).toBe('2026-11-02 09:14');

    await page.getByRole('button', { name: 'Import 4 rows' }).click();
    await expect
      .poll(() => page.locator('.import-summary').textContent())
      .toBe('4 rows imported, 0 already imported before (skipped), 0 refused.');
    const stored = await importedFrom('excel-german.csv');
    expect(stored.map((e) => [e.text, e.sentiment, e.segment, e.origin.givenAt])).toEqual([
      ['Die Lieferung kam zwei Tage zu spät.', -2, 'Privatkunde', '2026-11-02T08:14:00.000Z'],
      ['Schnelle Hilfe am Telefon, danke!', 1, 'Geschäftskunde', '2026-11-02T10:30:00.000Z'],
      [
        'Die Rechnung über 49,90 € war „unverständlich“; bitte einfacher.',
        -1,
        'Privatkunde',
        '2026-11-05T15:05:00.000Z',
      ],
      ['Größte Auswahl, beste Preise.', 2, 'Geschäftskunde', '2026-11-13T07:45:00.000Z'],
    ]);
    await page.screenshot({ path: join(SHOTS_DIR, 'survey-import-german-done.png'), fullPage: true });
  });

  it('a wrong day/month order is shown as refusals with reasons before anything is stored', async () => {
    await page.getByLabel('Survey export file').setInputFiles(join(FIXTURES, 'google-forms.csv'));
    await expect.poll(() => page.getByLabel('Day/month order').inputValue()).toBe('mdy');
    await expect
      .poll(() => page.locator('.import-counts').textContent())
      .toContain('4 rows will become clips');
    await page.getByLabel('Day/month order').selectOption('dmy');
    await expect
      .poll(() => page.locator('.import-counts').textContent())
      .toContain('2 rows will become clips; 2 will be refused.');
    expect(await page.locator('.refusals li').first().textContent()).toBe(
      'Line 4: date (column "Timestamp") "11/13/2026 8:02:45" is not a day/month/year date (it reads as month/day/year: check the order)',
    );
    expect(await importedFrom('google-forms.csv')).toEqual([]);
  });
});
