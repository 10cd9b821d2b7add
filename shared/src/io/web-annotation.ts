import type { Evidence } from '../model/evidence';
import type { CustomerEvent, Stage, Touchpoint } from '../model/framework';

/** The JSON-LD context of the W3C Web Annotation model; exactly this string (the https form fails validators). */
export const ANNOTATION_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

/** A W3C TextualBody. `purpose` says what it is for (a tag, a description). */
export interface TextualBody {
  type: 'TextualBody';
  purpose: 'tagging' | 'describing';
  value: string;
  format: 'text/plain';
}

/** A W3C selector as cxplan writes them. */
export type AnnotationSelector =
  | { type: 'TextQuoteSelector'; exact: string; prefix?: string; suffix?: string }
  | { type: 'TextPositionSelector'; start: number; end: number };

/** A W3C SpecificResource: the part of a page that was clipped. */
export interface SpecificResource {
  type: 'SpecificResource';
  source: string;
  /** The page a framed document was shown in, when the clip came from a frame. */
  scope?: string;
  selector: AnnotationSelector[];
}

/** One W3C Web Annotation (JSON-LD) for one piece of evidence. */
export interface WebAnnotation {
  '@context': typeof ANNOTATION_CONTEXT;
  id: string;
  type: 'Annotation';
  motivation: 'tagging';
  creator: { type: 'Person'; name: string; id?: string };
  created: string;
  generator: { type: 'Software'; name: string; id?: string };
  body: TextualBody[];
  target: SpecificResource | string;
}

/** A W3C AnnotationCollection holding every exported annotation on one page. */
export interface AnnotationCollection {
  '@context': typeof ANNOTATION_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: WebAnnotation[] };
}

/** How to name and tag exported annotations. */
export interface WebAnnotationOptions {
  /** IRI prefix for annotation ids (e.g. `https://cx.example/annotations/`); without it ids are URNs. */
  baseIri?: string;
  /** IRI of the person who captured the evidence, when known (their name is always written). */
  creatorIri?: string;
  /** Lookups that turn tag ids into names; an id without a match is written as the id. */
  stages?: readonly Stage[];
  events?: readonly CustomerEvent[];
  touchpoints?: readonly Touchpoint[];
}

/** The outcome of exporting one piece of evidence: the annotation, or why it has none. */
export type WebAnnotationResult = { ok: true; annotation: WebAnnotation } | { ok: false; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The annotation id for an evidence id: under the base IRI, `urn:uuid:` for UUIDs, else a cxplan URN. */
export function annotationId(evidenceId: string, baseIri?: string): string {
  if (baseIri !== undefined) return `${baseIri}${encodeURIComponent(evidenceId)}`;
  if (UUID.test(evidenceId)) return `urn:uuid:${evidenceId.toLowerCase()}`;
  return `urn:cxplan:evidence:${encodeURIComponent(evidenceId)}`;
}

const tag = (value: string): TextualBody => ({
  type: 'TextualBody',
  purpose: 'tagging',
  value,
  format: 'text/plain',
});

function nameIn(list: readonly { id: string; name: string }[] | undefined, id: string): string {
  return list?.find((x) => x.id === id)?.name ?? id;
}

/** The tags of a piece of evidence as `key:value` strings, in a fixed order. */
export function evidenceTags(evidence: Evidence, opts: WebAnnotationOptions = {}): string[] {
  const tags = [`source:${evidence.sourceKind}`];
  if (evidence.stageId !== undefined) tags.push(`stage:${nameIn(opts.stages, evidence.stageId)}`);
  if (evidence.eventId !== undefined) tags.push(`event:${nameIn(opts.events, evidence.eventId)}`);
  if (evidence.touchpointId !== undefined)
    tags.push(`touchpoint:${nameIn(opts.touchpoints, evidence.touchpointId)}`);
  if (evidence.sentiment !== undefined) tags.push(`sentiment:${evidence.sentiment}`);
  for (const d of evidence.drivers) tags.push(`driver:${d}`);
  if (evidence.segment !== undefined) tags.push(`segment:${evidence.segment}`);
  if (evidence.partnerName !== undefined) tags.push(`partner:${evidence.partnerName}`);
  return tags;
}

/**
 * Exports one piece of evidence as a W3C Web Annotation: a clip targets the exact passage (quote and position
 * selectors); evidence with only a page URL targets the page; evidence with neither has nothing to annotate.
 */
export function toWebAnnotation(evidence: Evidence, opts: WebAnnotationOptions = {}): WebAnnotationResult {
  let target: WebAnnotation['target'];
  const clip = evidence.target;
  if (clip !== undefined) {
    const selector: AnnotationSelector[] = [{ ...clip.quote }];
    if (clip.position !== undefined) selector.push({ ...clip.position });
    // Selectors address the framed document, so it is the source; the page it sat in is the scope.
    target =
      clip.frameUrl === undefined
        ? { type: 'SpecificResource', source: clip.source, selector }
        : { type: 'SpecificResource', source: clip.frameUrl, scope: clip.source, selector };
  } else if (evidence.origin.url !== undefined) {
    target = evidence.origin.url;
  } else {
    return {
      ok: false,
      message: `Evidence "${evidence.id}" has no web page (no clip and no URL), so there is nothing to annotate`,
    };
  }
  const body = evidenceTags(evidence, opts).map(tag);
  // A clip's text is the quote itself; anything else (typed, imported, edited) is kept as a description.
  if (clip === undefined || clip.quote.exact.trim() !== evidence.text) {
    body.push({ type: 'TextualBody', purpose: 'describing', value: evidence.text, format: 'text/plain' });
  }
  return {
    ok: true,
    annotation: {
      '@context': ANNOTATION_CONTEXT,
      id: annotationId(evidence.id, opts.baseIri),
      type: 'Annotation',
      motivation: 'tagging',
      creator: {
        type: 'Person',
        name: evidence.origin.capturedBy,
        ...(opts.creatorIri === undefined ? {} : { id: opts.creatorIri }),
      },
      created: evidence.origin.capturedAt,
      generator: { type: 'Software', name: 'cxplan' },
      body,
      target,
    },
  };
}

/** An export of many pieces of evidence: the collection, and the evidence left out with the reason. */
export interface AnnotationExport {
  collection: AnnotationCollection;
  skipped: { evidenceId: string; message: string }[];
}

/** Exports evidence as one W3C AnnotationCollection (a single page); evidence with no web page is listed as skipped. */
export function toAnnotationCollection(
  evidences: readonly Evidence[],
  opts: WebAnnotationOptions & { collectionId?: string; label?: string } = {},
): AnnotationExport {
  const items: WebAnnotation[] = [];
  const skipped: AnnotationExport['skipped'] = [];
  for (const e of evidences) {
    const r = toWebAnnotation(e, opts);
    if (r.ok) items.push(r.annotation);
    else skipped.push({ evidenceId: e.id, message: r.message });
  }
  const id =
    opts.collectionId ?? (opts.baseIri === undefined ? 'urn:cxplan:evidence' : `${opts.baseIri}collection`);
  return {
    collection: {
      '@context': ANNOTATION_CONTEXT,
      id,
      type: 'AnnotationCollection',
      label: opts.label ?? 'cxplan evidence',
      total: items.length,
      first: { id: `${id}#page-1`, type: 'AnnotationPage', startIndex: 0, items },
    },
    skipped,
  };
}
