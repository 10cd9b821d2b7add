import { describe, expect, it } from 'vitest';
import { suggestSurveyMapping } from './csv-mapping';
import { sampleCsv } from './csv-sample';
import { detectSurveyLayout } from './survey-layouts';

describe('sampleCsv', () => {
  it.each([
    ['comma', 'a,b,c\n1,2,3\n', ','],
    ['semicolon, with commas inside fields', 'Datum;Kommentar\n02.11.2026;49,90 € zu teuer, leider\n', ';'],
    ['tab', 'ID\tName\n1\tx\n', '\t'],
    ['pipe', 'a|b\n1|2\n', '|'],
  ])('given a %s-separated file, when sampled, then the separator is found', (_what, text, delimiter) => {
    expect(sampleCsv(text).delimiter).toBe(delimiter);
  });

  it('given an Excel sep= line, then it names the separator and is not a row', () => {
    expect(sampleCsv('sep=;\r\na;b\r\n1;2\r\n')).toEqual({
      delimiter: ';',
      fromSepLine: true,
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    });
  });

  it('given a sample cut short, then the last (maybe cut) row is left out', () => {
    expect(sampleCsv('a,b\n1,2\n3,"unfini', { complete: false }).rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('detectSurveyLayout', () => {
  it('given an older Qualtrics export with two header rows, then both are header rows', () => {
    const layout = detectSurveyLayout([
      ['StartDate', 'ResponseId', 'Q1'],
      ['Start Date', 'Response ID', 'Why?'],
      ['2026-11-02 09:00:00', 'R_1', 'because'],
    ]);
    expect(layout).toMatchObject({ tool: 'qualtrics', headerRows: 2, responseId: 'ResponseId' });
    expect(layout.columns.map((c) => c.label)).toEqual([
      'Start Date (StartDate)',
      'Response ID (ResponseId)',
      'Why? (Q1)',
    ]);
  });

  it('given Qualtrics import ids saying "Z", then the zone is UTC', () => {
    const layout = detectSurveyLayout([
      ['StartDate', 'Q1'],
      ['Start Date', 'Why?'],
      ['{"ImportId":"startDate","timeZone":"Z"}', '{"ImportId":"QID1_TEXT"}'],
    ]);
    expect(layout.columns).toEqual([
      { key: 'StartDate', label: 'Start Date (StartDate)', timeZone: 'UTC', meta: true },
      { key: 'Q1', label: 'Why? (Q1)', openEnded: true },
    ]);
  });

  it('given a plain CSV whose second row merely starts empty, then it is not SurveyMonkey', () => {
    expect(
      detectSurveyLayout([
        ['Respondent ID', 'Comment'],
        ['', 'Response'],
      ]).tool,
    ).toBe('generic');
  });

  it('given duplicate or blank headers, then every column gets a key of its own', () => {
    expect(detectSurveyLayout([['Name', 'name', '', 'Created (UTC)']]).columns).toEqual([
      { key: 'Name', label: 'Name' },
      { key: 'name (2)', label: 'name (2)' },
      { key: 'Column 3', label: 'Column 3' },
      { key: 'Created (UTC)', label: 'Created (UTC)', timeZone: 'UTC' },
    ]);
  });
});

describe('suggestSurveyMapping on unknown layouts', () => {
  it('given no telling names, when the values are read, then sentences are the text and 1–5 with a rating name is CSAT', () => {
    const layout = detectSurveyLayout([['ref', 'When', 'Stars', 'Notes to self', 'Remarks']]);
    const rows = [
      ['A-1', '2026-11-02', '2', 'x', 'The parcel arrived broken and nobody answered my mail.'],
      ['A-2', '2026-11-03', '5', 'y', 'Quick and friendly, thank you so much.'],
      ['A-3', '2026-11-04', '4', 'z', 'Fine, but the app asks me to log in every day.'],
    ];
    expect(suggestSurveyMapping(layout, rows)).toMatchObject({
      mapping: { date: 'When', text: 'Remarks', score: 'Stars' },
      scale: 'csat',
    });
  });

  it('given a score column with a 0, then it is NPS even without "recommend" in its name', () => {
    const layout = detectSurveyLayout([['Score', 'Comment']]);
    expect(
      suggestSurveyMapping(layout, [
        ['0', 'Terrible support, I gave up.'],
        ['4', 'Slow, and the invoice was wrong.'],
      ]).scale,
    ).toBe('nps');
  });

  it('given a few off-scale answers in a score column (a 12), then it is still the score, on its usual scale', () => {
    const layout = detectSurveyLayout([['How likely are you to recommend us?', 'Why?']]);
    const rows = Array.from({ length: 40 }, (_, i) => [
      String(i === 7 ? 12 : i % 11),
      'Because of the delivery time.',
    ]);
    expect(suggestSurveyMapping(layout, rows)).toMatchObject({
      mapping: { score: 'How likely are you to recommend us?', text: 'Why?' },
      scale: 'nps',
    });
  });

  it('given nothing that reads as feedback, then no text column is suggested (the user picks)', () => {
    const layout = detectSurveyLayout([['a', 'b']]);
    expect(
      suggestSurveyMapping(layout, [
        ['1', 'x'],
        ['2', 'y'],
      ]).mapping.text,
    ).toBeUndefined();
  });
});
