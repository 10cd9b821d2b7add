import * as v from 'valibot';

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

const GUESSES: [keyof CsvColumnMapping, RegExp][] = [
  ['text', /^(comment|comments|feedback|text|verbatim|response|answer|review|message|why)/i],
  ['score', /(nps|score|rating|csat|likelihood|recommend)/i],
  ['sentiment', /^sentiment$/i],
  ['date', /(date|time|submitted|created|timestamp)/i],
  ['segment', /(segment|tier|plan|customer type)/i],
  ['stage', /(stage|lifecycle|journey)/i],
  ['event', /(event|moment)/i],
  ['touchpoint', /(touchpoint|channel)/i],
  ['partner', /(partner)/i],
];

/** Suggests a column mapping from a header row (first matching column per field); the user confirms it. */
export function suggestCsvMapping(headers: readonly string[]): Partial<CsvColumnMapping> {
  const out: Partial<CsvColumnMapping> = {};
  const used = new Set<string>();
  for (const [field, re] of GUESSES) {
    const found = headers.find((h) => !used.has(h) && re.test(h.trim()));
    if (found !== undefined) {
      out[field] = found.trim();
      used.add(found);
    }
  }
  return out;
}
