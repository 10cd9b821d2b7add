import {
  DriverSchema,
  IdSchema,
  NameSchema,
  parseOrThrow,
  SentimentSchema,
  SourceKindSchema,
} from '@cxplan/core';
import * as v from 'valibot';
import type { Browser } from 'wxt/browser';

const KEY = 'cxplan.capturePrefs';

/** What the capture flow remembers between clips: who is clipping and the last tag choices. */
export const CapturePrefsSchema = v.object({
  capturedBy: v.fallback(NameSchema, 'me'),
  lastTags: v.fallback(
    v.object({
      sourceKind: v.optional(SourceKindSchema),
      stageId: v.optional(IdSchema),
      eventId: v.optional(IdSchema),
      sentiment: v.optional(SentimentSchema),
      drivers: v.optional(v.array(DriverSchema)),
    }),
    {},
  ),
});
/** What the capture flow remembers between clips. */
export type CapturePrefs = v.InferOutput<typeof CapturePrefsSchema>;

/** The part of `browser.storage` the prefs need. */
export type LocalArea = Pick<Browser.storage.StorageArea, 'get' | 'set'>;

/** Reads the prefs; anything missing or damaged falls back to the defaults rather than blocking a capture. */
export async function readCapturePrefs(area: LocalArea): Promise<CapturePrefs> {
  const stored = (await area.get(KEY))[KEY];
  return v.parse(CapturePrefsSchema, stored && typeof stored === 'object' ? stored : {});
}

/** Merges and stores prefs (validated first: an invalid name is refused with the field named). */
export async function writeCapturePrefs(
  area: LocalArea,
  patch: Partial<CapturePrefs>,
): Promise<CapturePrefs> {
  const next = parseOrThrow(
    v.object({ ...CapturePrefsSchema.entries, capturedBy: NameSchema }),
    { ...(await readCapturePrefs(area)), ...patch },
    'capture preferences',
  );
  await area.set({ [KEY]: next });
  return next;
}
