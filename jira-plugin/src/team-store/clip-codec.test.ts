import { arbEvidence } from '@cxplan/core/testing';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClip, encodeClip } from './clip-codec';

describe('the stored form of a clip', () => {
  it('is lossless: every clip decodes to exactly what was encoded', () => {
    fc.assert(
      fc.property(arbEvidence(), (clip) => {
        const { id: _id, ...body } = clip;
        expect(decodeClip(encodeClip(clip))).toEqual(body);
      }),
    );
  });

  it('is lossless when the quote differs from the text or the target is another page (nothing is dropped then)', () => {
    const clip = {
      id: 'c1',
      text: 'Refund took 6 weeks',
      sourceKind: 'customer',
      drivers: ['pain'],
      origin: {
        url: 'https://a.example/x',
        capturedBy: 'Sam',
        capturedAt: '2026-11-30T10:00:00.000Z',
        via: 'clip',
      },
      target: {
        source: 'https://frame.example/y',
        quote: { type: 'TextQuoteSelector', exact: 'Refund took 6 weeks!', prefix: 'a' },
      },
    };
    const { id: _id, ...body } = clip;
    expect(decodeClip(encodeClip(clip))).toEqual(body);
  });

  it('is much smaller than the clip’s JSON for a typical web clip', () => {
    const text =
      'The courier left my parcel at the depot again and nobody told me; I only found out after calling twice.';
    const url = 'https://reviews.example.com/product/4217-kettle?page=3';
    const clip = {
      id: '0f3c2a7e-5b1d-4c8e-9a2f-1d6b7c8e9f01',
      text,
      sourceKind: 'customer',
      drivers: [],
      intent: 'feedback',
      eventId: 'ev-delivery',
      sentiment: -2,
      taggedAt: '2026-11-30T10:01:00.000Z',
      origin: {
        url,
        title: 'Kettle reviews',
        capturedBy: 'Sam Staff',
        capturedById: '5b10ac8d82e05b22cc7d4ef5',
        capturedAt: '2026-11-30T10:00:00.000Z',
        via: 'clip',
      },
      target: {
        source: url,
        quote: { type: 'TextQuoteSelector', exact: text, prefix: 'Verified buyer: ', suffix: ' Two stars.' },
        position: { type: 'TextPositionSelector', start: 812, end: 917 },
      },
    };
    const plain = JSON.stringify(clip).length;
    const stored = encodeClip(clip).length;
    expect(stored / plain).toBeLessThan(0.6);
  });
});
