import * as v from 'valibot';
import { emptyDateTally, tallyDate } from './survey-dates';
import { detectSurveyLayout, type SurveyColumn, type SurveyLayout } from './survey-layouts';

/**
 * Which CSV column feeds which evidence field (header names, matched case-insensitively after trimming).
 * Only `text` is required; `score` needs a `scale` to turn into sentiment.
 */
export const CsvColumnMappingSchema = v.object({
  text: v.pipe(
    v.string('must be a column name'),
    v.trim(),
    v.minLength(1, 'must name the column with the feedback text'),
  ),
  score: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  sentiment: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  date: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  segment: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  stage: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  event: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  touchpoint: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  partner: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  /** The tool's response id: with it a re-imported response is recognised even if the rows moved. */
  responseId: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
});
/** Which CSV column feeds which evidence field. */
export type CsvColumnMapping = v.InferOutput<typeof CsvColumnMappingSchema>;

/** The survey scale of the score column: NPS 0–10, CSAT 1–5, or none (score kept, no sentiment derived). */
export const ScoreScaleSchema = v.picklist(['nps', 'csat', 'none'], 'must be nps, csat or none');
/** The survey scale of the score column. */
export type ScoreScale = v.InferOutput<typeof ScoreScaleSchema>;

/** Outcome of mapping a score: the sentiment, or why the score is not valid on the scale. */
export type ScoreSentiment = { ok: true; sentiment: number | undefined } | { ok: false; message: string };

/**
 * Maps a survey score to sentiment (−2…+2):
 * - NPS 0–10: 0–4 → −2, 5–6 → −1 (detractors), 7–8 → 0 (passives), 9 → +1, 10 → +2 (promoters);
 * - CSAT 1–5: 1 → −2, 2 → −1, 3 → 0, 4 → +1, 5 → +2;
 * - none: no sentiment.
 * Fractional scores fall in the band of their integer part; scores outside the scale are refused.
 */
export function scoreToSentiment(score: number, scale: ScoreScale): ScoreSentiment {
  if (!Number.isFinite(score)) return { ok: false, message: 'must be a number' };
  switch (scale) {
    case 'none':
      return { ok: true, sentiment: undefined };
    case 'nps':
      if (score < 0 || score > 10) return { ok: false, message: 'must be an NPS score from 0 to 10' };
      return { ok: true, sentiment: score < 5 ? -2 : score < 7 ? -1 : score < 9 ? 0 : score < 10 ? 1 : 2 };
    case 'csat':
      if (score < 1 || score > 5) return { ok: false, message: 'must be a CSAT score from 1 to 5' };
      return { ok: true, sentiment: Math.floor(score) - 3 };
  }
}

/**
 * Reads a score as survey tools write it: `7`, `4.5`, `4,5` (a decimal comma) or a scale label's number
 * (`10 - Extremely likely`, `1 – Very dissatisfied`); undefined when it is not one.
 */
export function readScore(text: string): number | undefined {
  const m = SCORE.exec(text);
  if (m === null) return undefined;
  return Number((m[1] as string).replace(',', '.'));
}
const SCORE = /^([+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+))(?:\s*[-–—:]\s*\D.*)?$/s;

/** Why a field was suggested, in words a user reads beside the mapping. */
export type MappingReasons = Partial<Record<keyof CsvColumnMapping | 'scale', string>>;

/** A suggested mapping of an export's columns, the score's scale, and why. */
export interface MappingSuggestion {
  mapping: Partial<CsvColumnMapping>;
  scale: ScoreScale;
  why: MappingReasons;
}

/** What the sample's values of one column look like. */
interface Profile {
  column: SurveyColumn;
  filled: number;
  /** Values that read as a number (see {@link readScore}). */
  numbers: number;
  /** Of those, the ones on a 0–10 scale, and their least and greatest: a few off-scale answers (typos, a 12) do
   * not hide a score column, nor decide its scale. */
  onScale: number;
  min: number;
  max: number;
  /** Values that read as dates. */
  dates: number;
  avgLength: number;
  /** Values with at least three words: sentences, not codes or choices. */
  sentences: number;
  distinct: number;
}

function profile(column: SurveyColumn, values: readonly string[]): Profile {
  let filled = 0;
  let numbers = 0;
  let onScale = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let length = 0;
  let sentences = 0;
  const distinct = new Set<string>();
  const dates = emptyDateTally();
  for (const raw of values) {
    const value = raw.trim();
    if (value === '') continue;
    filled++;
    length += value.length;
    distinct.add(value);
    if (/\S+\s+\S+\s+\S+/.test(value)) sentences++;
    const n = readScore(value);
    if (n !== undefined) {
      numbers++;
      if (n >= 0 && n <= 10) {
        onScale++;
        min = Math.min(min, n);
        max = Math.max(max, n);
      }
    } else tallyDate(dates, value);
  }
  return {
    column,
    filled,
    numbers,
    onScale,
    min,
    max,
    dates: dates.values - dates.unreadable,
    avgLength: filled === 0 ? 0 : length / filled,
    sentences,
    distinct: distinct.size,
  };
}

// Words of open-ended questions and of their column names, in the languages exports come in most. The reason
// for a score says most about what to fix, so it comes before any other comment.
const REASON = /\b(why|reason|grund|begründ\w*|raison|pourquoi|motivo|por qué|waarom)\b/i;
const OPEN_ENDED =
  /\b(comments?|feedback|tell us|improve|better|suggest\w*|anything else|verbatim|explain|describe|remarks?|text|answer|kommentar\w*|anmerkung\w*|freitext|hinweis\w*|bemerkung\w*|commentaires?|comentarios?|opmerking\w*)\b/i;
const RECOMMEND = /(recommend|likely|likelihood|\bnps\b|weiterempfehl|empfehl|recommand|recomenda|aanbevel)/i;
const SATISFACTION =
  /(satisf|csat|zufrieden|star|rating|bewertung|\bnote\b|\bscore\b|puntua|tevreden|\bces\b|effort)/i;
const SEGMENT =
  /\b(segment|plan|tier|customer type|customer group|kundengruppe|kundentyp|tarif|region|country|market|industry|company size|branche|abo|abonnement|subscription|cohort)\b/i;
const OTHER_FIELDS: [keyof CsvColumnMapping, RegExp][] = [
  ['sentiment', /^sentiment$/i],
  ['stage', /^(lifecycle )?stage$|^journey stage$/i],
  ['event', /^(customer )?event$|^moment of truth$/i],
  // Not "channel": its values (phone, chat) rarely name the workspace's touchpoints, and a row whose touchpoint
  // names none is refused.
  ['touchpoint', /^touchpoint$/i],
  ['partner', /^partner( name)?$/i],
];
const ID_NAME = /^(#|id|(response|respondent|submission|record|answer)[ _-]?id)$/i;

const half = (n: number, of: number): boolean => of > 0 && n >= of / 2;

/**
 * Suggests a mapping for an export from its layout and the values of its first rows: the feedback text is the
 * open-ended "why / reason / comment" question whose answers read as sentences; the score the "how likely to
 * recommend" (NPS 0–10) or "how satisfied" (CSAT 1–5) question whose values are numbers on that scale; the date
 * the tool's submission time, else a column of dates; the segment a plan / tier / segment question with few
 * distinct answers. The tool's bookkeeping columns (status, IP address, NPS group, …) are never suggested for
 * feedback or score. The user sees and can change every choice.
 */
export function suggestSurveyMapping(
  layout: SurveyLayout,
  dataRows: readonly (readonly string[])[],
): MappingSuggestion {
  const profiles = layout.columns.map((c, i) =>
    profile(
      c,
      dataRows.map((r) => r[i] ?? ''),
    ),
  );
  const mapping: Partial<CsvColumnMapping> = {};
  const why: MappingReasons = {};
  const used = new Set<string>();
  const take = (field: keyof CsvColumnMapping, p: Profile | undefined, reason: string): void => {
    if (p === undefined) return;
    mapping[field] = p.column.key;
    why[field] = reason;
    used.add(p.column.key);
  };
  const best = (score: (p: Profile) => number): Profile | undefined => {
    let top: Profile | undefined;
    let topScore = 0;
    for (const p of profiles) {
      if (used.has(p.column.key)) continue;
      const s = score(p);
      if (s > topScore) {
        top = p;
        topScore = s;
      }
    }
    return top;
  };
  const named = (p: Profile): string => `“${p.column.label}”`;

  // Response id: the layout knows it, else a column named like one whose values are all different.
  const idColumn =
    profiles.find((p) => p.column.key === layout.responseId) ??
    profiles.find((p) => ID_NAME.test(p.column.key) && p.distinct === p.filled);
  if (idColumn !== undefined)
    take('responseId', idColumn, `${named(idColumn)} identifies each response, so a re-import is recognised`);

  // Date: the tool's submission time, else the column of dates whose name says most clearly when.
  const dateColumn =
    layout.dateColumns
      .map((key) => profiles.find((p) => p.column.key === key))
      .find((p) => p !== undefined && (p.filled === 0 || half(p.dates + p.numbers, p.filled))) ??
    best((p) =>
      p.column.meta !== true && half(p.dates, p.filled) && p.dates > 0 ? 1 + p.dates / p.filled : 0,
    );
  if (dateColumn !== undefined)
    take(
      'date',
      dateColumn,
      layout.dateColumns.includes(dateColumn.column.key)
        ? `${named(dateColumn)} is when ${layout.toolName === 'a CSV file of no known survey tool' ? 'the response was given' : `${layout.toolName} recorded the response`}`
        : `${named(dateColumn)} holds dates`,
    );

  // Feedback text.
  const textScore = (p: Profile): number => {
    if (p.column.meta === true || (p.filled > 0 && half(p.numbers + p.dates, p.filled))) return 0;
    let s = 0;
    if (REASON.test(p.column.label)) s += 5;
    else if (OPEN_ENDED.test(p.column.label)) s += 4;
    if (p.column.openEnded === true) s += 3;
    if (p.filled > 0) {
      if (p.avgLength >= 20) s += 2;
      if (half(p.sentences, p.filled)) s += 2;
      if (p.filled >= 3 && p.distinct >= p.filled * 0.8) s += 1;
      if (p.avgLength < 8) s -= 3;
    }
    return s > 2 ? s : 0;
  };
  const text = best(textScore);
  if (text !== undefined)
    take(
      'text',
      text,
      REASON.test(text.column.label) || OPEN_ENDED.test(text.column.label) || text.column.openEnded === true
        ? `${named(text)} is the open-ended question`
        : `${named(text)} holds sentences`,
    );

  // Score and its scale.
  const onScale = (p: Profile): boolean => p.filled === 0 || p.onScale >= p.filled * 0.9;
  const scoreScore = (p: Profile): number => {
    if (p.column.meta === true && layout.tool !== 'medallia') return 0;
    if (!onScale(p) || p.column.key === mapping.responseId) return 0;
    if (RECOMMEND.test(p.column.label)) return 5;
    if (SATISFACTION.test(p.column.label)) return 3;
    return 0;
  };
  const score = best(scoreScore);
  let scale: ScoreScale = 'none';
  if (score !== undefined) {
    const recommend = RECOMMEND.test(score.column.label);
    const fiveStars = score.filled > 0 && score.min >= 1 && score.max <= 5;
    scale = recommend || !fiveStars ? 'nps' : 'csat';
    take(
      'score',
      score,
      `${named(score)} ${recommend ? 'asks how likely they are to recommend' : 'asks how satisfied they are'}`,
    );
    why.scale =
      scale === 'nps'
        ? recommend
          ? 'a “how likely to recommend” question is NPS (0–10)'
          : `its values run up to ${score.max}: NPS (0–10)`
        : score.filled > 0
          ? `a satisfaction question with values from ${score.min} to ${score.max}: CSAT (1–5)`
          : 'a satisfaction question: CSAT (1–5)';
  }

  // Segment: a plan / tier / segment question with few distinct answers.
  const segment = best((p) => {
    if (p.column.meta === true || !SEGMENT.test(p.column.label)) return 0;
    if (p.filled > 0 && (half(p.numbers, p.filled) || p.avgLength > 40)) return 0;
    if (p.filled >= 4 && p.distinct > Math.max(8, p.filled / 2)) return 0;
    return 1;
  });
  if (segment !== undefined) take('segment', segment, `${named(segment)} names a customer segment`);

  for (const [field, re] of OTHER_FIELDS) {
    const p = profiles.find((x) => !used.has(x.column.key) && re.test(x.column.key));
    if (p !== undefined) take(field, p, `${named(p)} is named for it`);
  }
  return { mapping, scale, why };
}

/**
 * Suggests a column mapping from a header row alone (the user confirms it). Kept for callers that have no rows;
 * {@link suggestSurveyMapping} also reads the values and the tool's layout.
 */
export function suggestCsvMapping(headers: readonly string[]): Partial<CsvColumnMapping> {
  return suggestSurveyMapping(detectSurveyLayout([headers]), []).mapping;
}
