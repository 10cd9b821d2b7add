import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Evidence, EvidenceSchema } from '../model/evidence';
import { DEFAULT_STAGES } from '../model/framework';
import { arbEvidence } from '../testing/arbitraries';
import { parseOrThrow } from './parse';
import { annotationId, toAnnotationCollection, toWebAnnotation, type WebAnnotation } from './web-annotation';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VALIDATOR = path.resolve(REPO_ROOT, '../shared/w3c-annotation/validate.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'cxplan-anno-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes JSON to a temp file and runs the W3C test-suite validator on it, as CI does. */
function validate(name: string, json: unknown): { status: number | null; out: string } {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  const r = spawnSync(process.execPath, [VALIDATOR, '--quiet', file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const clip: Evidence = parseOrThrow(EvidenceSchema, {
  id: '6f1c0a39-0b5e-4f8e-9a63-2d5c2f7e1b10',
  text: 'delivery was late',
  sourceKind: 'customer',
  origin: {
    url: 'https://reviews.example/acme',
    title: 'Acme reviews',
    capturedBy: 'Ann Analyst',
    capturedAt: '2026-11-20T10:00:00Z',
    via: 'clip',
  },
  stageId: 'stage-use-support',
  eventId: 'ev-late',
  sentiment: -2,
  drivers: ['pain'],
  target: {
    source: 'https://reviews.example/acme',
    quote: { type: 'TextQuoteSelector', exact: 'delivery was late', prefix: 'The ', suffix: ' again' },
    position: { type: 'TextPositionSelector', start: 4, end: 21 },
  },
});
const framed: Evidence = parseOrThrow(EvidenceSchema, {
  ...clip,
  id: 'e-framed',
  text: 'My note about it',
  target: {
    source: 'https://support.example/ticket/9',
    frameUrl: 'https://widget.example/frame',
    quote: { type: 'TextQuoteSelector', exact: 'waited 40 minutes' },
  },
});
const pageOnly: Evidence = parseOrThrow(EvidenceSchema, {
  id: 'e page/2',
  text: 'Partner says set-up takes a week',
  sourceKind: 'partner',
  partnerName: 'Install Co',
  origin: {
    url: 'https://partner.example/report',
    capturedBy: 'Pat',
    capturedAt: '2026-11-21T08:00:00Z',
    via: 'manual',
  },
  drivers: [],
});
const typedIn: Evidence = parseOrThrow(EvidenceSchema, {
  id: 'e-typed',
  text: 'Heard at the branch',
  sourceKind: 'manager',
  origin: { capturedBy: 'Mo', capturedAt: '2026-11-21T08:00:00Z', via: 'manual' },
  drivers: [],
});

const events = [{ id: 'ev-late', stageId: 'stage-use-support', name: 'Delivery on time', drivers: [] }];

function must(e: Evidence, opts = {}): WebAnnotation {
  const r = toWebAnnotation(e, { stages: DEFAULT_STAGES, events, ...opts });
  if (!r.ok) throw new Error(r.message);
  return r.annotation;
}

describe('toWebAnnotation', () => {
  it('exports a clip as a tagging annotation on the exact passage (golden)', () => {
    expect(must(clip)).toEqual({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'urn:uuid:6f1c0a39-0b5e-4f8e-9a63-2d5c2f7e1b10',
      type: 'Annotation',
      motivation: 'tagging',
      creator: { type: 'Person', name: 'Ann Analyst' },
      created: '2026-11-20T10:00:00Z',
      generator: { type: 'Software', name: 'cxplan' },
      body: [
        { type: 'TextualBody', purpose: 'tagging', value: 'source:customer', format: 'text/plain' },
        { type: 'TextualBody', purpose: 'tagging', value: 'stage:Use & Support', format: 'text/plain' },
        { type: 'TextualBody', purpose: 'tagging', value: 'event:Delivery on time', format: 'text/plain' },
        { type: 'TextualBody', purpose: 'tagging', value: 'sentiment:-2', format: 'text/plain' },
        { type: 'TextualBody', purpose: 'tagging', value: 'driver:pain', format: 'text/plain' },
      ],
      target: {
        type: 'SpecificResource',
        source: 'https://reviews.example/acme',
        selector: [
          { type: 'TextQuoteSelector', exact: 'delivery was late', prefix: 'The ', suffix: ' again' },
          { type: 'TextPositionSelector', start: 4, end: 21 },
        ],
      },
    });
  });

  it('a clip from a frame targets the frame, scoped to the page, and keeps an edited text as a description', () => {
    const a = must(framed);
    expect(a.target).toEqual({
      type: 'SpecificResource',
      source: 'https://widget.example/frame',
      scope: 'https://support.example/ticket/9',
      selector: [{ type: 'TextQuoteSelector', exact: 'waited 40 minutes' }],
    });
    expect(a.body.at(-1)).toEqual({
      type: 'TextualBody',
      purpose: 'describing',
      value: 'My note about it',
      format: 'text/plain',
    });
  });

  it('evidence with only a page URL targets the page; the base IRI names it', () => {
    const a = must(pageOnly, {
      baseIri: 'https://cx.example/anno/',
      creatorIri: 'https://cx.example/people/pat',
    });
    expect(a.id).toBe('https://cx.example/anno/e%20page%2F2');
    expect(a.target).toBe('https://partner.example/report');
    expect(a.creator).toEqual({ type: 'Person', name: 'Pat', id: 'https://cx.example/people/pat' });
    expect(a.body.map((b) => b.value)).toEqual([
      'source:partner',
      'partner:Install Co',
      'Partner says set-up takes a week',
    ]);
  });

  it('evidence with no page is not exported, and says why', () => {
    expect(toWebAnnotation(typedIn)).toEqual({
      ok: false,
      message: 'Evidence "e-typed" has no web page (no clip and no URL), so there is nothing to annotate',
    });
  });

  it.each([
    ['6F1C0A39-0B5E-4F8E-9A63-2D5C2F7E1B10', undefined, 'urn:uuid:6f1c0a39-0b5e-4f8e-9a63-2d5c2f7e1b10'],
    ['e1', undefined, 'urn:cxplan:evidence:e1'],
    ['a b', 'https://x.example/a/', 'https://x.example/a/a%20b'],
  ])('annotationId(%s, %s) = %s', (id, base, expected) => {
    expect(annotationId(id, base)).toBe(expected);
  });
});

describe('W3C conformance (the Working Group test-suite validator)', () => {
  it('real exports pass every MUST check', () => {
    const annotations = [must(clip), must(framed), must(pageOnly, { baseIri: 'https://cx.example/anno/' })];
    const r = validate('export.json', annotations);
    expect(r.out).toContain('0 failed');
    expect(r.status).toBe(0);
  });

  it('generated evidence of every shape passes (100 samples, one validator run)', () => {
    const annotations = fc
      .sample(arbEvidence(), { numRuns: 100, seed: 7 })
      .map((e) => toWebAnnotation(e))
      .flatMap((r) => (r.ok ? [r.annotation] : []));
    expect(annotations.length).toBeGreaterThan(30);
    const r = validate('generated.json', annotations);
    expect(r.out).toContain('0 failed');
    expect(r.status).toBe(0);
  });

  it('the items of a collection pass, and the collection lists what it skipped', () => {
    const { collection, skipped } = toAnnotationCollection([clip, typedIn, pageOnly], {
      label: 'Q4 evidence',
    });
    expect(collection).toMatchObject({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'AnnotationCollection',
      label: 'Q4 evidence',
      total: 2,
      first: { type: 'AnnotationPage', startIndex: 0 },
    });
    expect(skipped.map((s) => s.evidenceId)).toEqual(['e-typed']);
    const r = validate('collection-items.json', collection.first.items);
    expect(r.out).toContain('0 failed');
    expect(r.status).toBe(0);
  });

  it.each([
    ['an https @context', { '@context': 'https://www.w3.org/ns/anno.jsonld' }],
    ['no target', { target: undefined }],
    ['a wrong type', { type: 'Note' }],
  ])('an invalid annotation (%s) fails, so the check can fail', (_label, change) => {
    const r = validate('invalid.json', { ...must(clip), ...change });
    expect(r.status).toBe(1);
    expect(r.out).not.toContain(' 0 failed');
  });
});
