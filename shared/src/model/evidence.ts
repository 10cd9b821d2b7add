import * as v from 'valibot';
import { DateTimeSchema, IdSchema, NameSchema, UrlSchema } from './common';
import { DriverSchema } from './framework';

/** Where a piece of evidence came from (claims 1, 3, 4: customers, partner organisations, managers). */
export const SourceKindSchema = v.picklist(
  ['customer', 'partner', 'manager', 'internal'],
  'must be customer, partner, manager or internal',
);
/** The kind of source a piece of evidence came from. */
export type SourceKind = v.InferOutput<typeof SourceKindSchema>;

/** W3C Web Annotation TextQuoteSelector: the quote and a little context either side. */
export const TextQuoteSelectorSchema = v.object({
  type: v.literal('TextQuoteSelector'),
  exact: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  prefix: v.optional(v.string()),
  suffix: v.optional(v.string()),
});
/** W3C Web Annotation TextQuoteSelector. */
export type TextQuoteSelector = v.InferOutput<typeof TextQuoteSelectorSchema>;

/** W3C Web Annotation TextPositionSelector: character offsets into the page's text content. */
export const TextPositionSelectorSchema = v.pipe(
  v.object({
    type: v.literal('TextPositionSelector'),
    start: v.pipe(v.number(), v.integer(), v.minValue(0, 'must be 0 or more')),
    end: v.pipe(v.number(), v.integer(), v.minValue(0, 'must be 0 or more')),
  }),
  v.forward(
    v.check((s) => s.end >= s.start, 'must not be before start'),
    ['end'],
  ),
);
/** W3C Web Annotation TextPositionSelector. */
export type TextPositionSelector = v.InferOutput<typeof TextPositionSelectorSchema>;

/** A clip's target in W3C Web Annotation shape, so clips export as annotations without loss. */
export const ClipTargetSchema = v.object({
  source: UrlSchema,
  quote: TextQuoteSelectorSchema,
  position: v.optional(TextPositionSelectorSchema),
  /** Set when the selection was inside a frame whose URL differs from the page's. */
  frameUrl: v.optional(UrlSchema),
});
/** A clip's W3C-compatible target. */
export type ClipTarget = v.InferOutput<typeof ClipTargetSchema>;

/** Where and by whom a piece of evidence was captured. */
export const OriginSchema = v.object({
  url: v.optional(UrlSchema),
  title: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  capturedBy: NameSchema,
  /**
   * The person who captured it, as the team workspace knows them (their Atlassian account id). Set by the Jira app
   * from the device that sent the clip, never taken from what a browser says; absent in a browser used alone.
   */
  capturedById: v.optional(IdSchema),
  capturedAt: DateTimeSchema,
  /**
   * When the customer gave the feedback (a survey response's own time); `capturedAt` stays when it entered cxplan.
   * Analytics that look at a recent window read {@link feedbackTime}, which prefers this.
   */
  givenAt: v.optional(DateTimeSchema),
  /** How it arrived: clipped from a page, imported from a file, or typed in. */
  via: v.optional(v.picklist(['clip', 'import', 'manual', 'jira']), 'manual'),
  /** For imports: the file name and the 1-based line it came from. */
  file: v.optional(v.pipe(v.string(), v.maxLength(500))),
  line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
/** Where and by whom a piece of evidence was captured. */
export type Origin = v.InferOutput<typeof OriginSchema>;

/**
 * When the feedback was given: the response's own time when the source stated one (`givenAt`), else when it was
 * captured. Every rule with a recent window reads this, so a year-old survey imported today is not "recent".
 */
export function feedbackTime(origin: Pick<Origin, 'capturedAt' | 'givenAt'>): string {
  return origin.givenAt ?? origin.capturedAt;
}

/** The words people read for a sentiment, −2 to +2 (lower case, to sit inside a sentence). */
export const SENTIMENT_WORDS: Readonly<Record<number, string>> = {
  [-2]: 'very negative',
  [-1]: 'negative',
  0: 'neutral',
  1: 'positive',
  2: 'very positive',
};

/** Sentiment from −2 (very negative) to +2 (very positive). */
export const SentimentSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(-2, 'must be between -2 and 2'),
  v.maxValue(2, 'must be between -2 and 2'),
);

/**
 * What the person meant when capturing: plain feedback, or the seed of a goal or an action to be promoted in the
 * workspace (a captured goal has no metric yet, so it cannot be an OrgGoal/Action until someone completes it).
 */
export const EvidenceIntentSchema = v.picklist(
  ['feedback', 'goal', 'action'],
  'must be feedback, goal or action',
);
/** What a capture was meant as. */
export type EvidenceIntent = v.InferOutput<typeof EvidenceIntentSchema>;

/** A piece of evidence: customer feedback, a partner's report, a manager's note, internal data. */
export const EvidenceSchema = v.object({
  id: IdSchema,
  text: v.pipe(
    v.string('must be text'),
    v.trim(),
    v.minLength(1, 'is required'),
    v.maxLength(100_000, 'is too long'),
  ),
  sourceKind: SourceKindSchema,
  origin: OriginSchema,
  partnerName: v.optional(NameSchema),
  segment: v.optional(NameSchema),
  stageId: v.optional(IdSchema),
  eventId: v.optional(IdSchema),
  touchpointId: v.optional(IdSchema),
  sentiment: v.optional(SentimentSchema),
  drivers: v.optional(v.array(DriverSchema), []),
  /** Raw survey score when imported (NPS 0–10, CSAT 1–5), kept next to the derived sentiment. */
  score: v.optional(v.number()),
  target: v.optional(ClipTargetSchema),
  /** Absent means plain feedback. */
  intent: v.optional(EvidenceIntentSchema),
  /** Set once the user tagged it (or chose to keep it untagged); untagged clips are listed for triage. */
  taggedAt: v.optional(DateTimeSchema),
});
/** A piece of evidence. */
export type Evidence = v.InferOutput<typeof EvidenceSchema>;
