import { randomBytes } from 'node:crypto';
import { formatSignatureHeader, INGEST_HEADERS } from '@cxplan/core';
import type { IngestRequest } from '../ingest-handler';
import { signIngestRequest } from '../verify-signature';

/** Options for a test request: override any part to forge or tamper with it. */
export interface SignOptions {
  now: number;
  keyId: string;
  nonce?: string;
  timestamp?: number;
  /** Sign this body but send `body` (a tampered request). */
  signedBody?: string;
}

/** A correctly signed web-trigger request for `body` (the way the extension signs, with node:crypto). */
export function signedRequest(secret: string, body: string, o: SignOptions): IngestRequest {
  const timestamp = String(o.timestamp ?? o.now);
  const nonce = o.nonce ?? randomBytes(18).toString('base64url');
  const signature = signIngestRequest(secret, timestamp, nonce, o.signedBody ?? body);
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': ['application/json'],
      [INGEST_HEADERS.timestamp]: [timestamp],
      [INGEST_HEADERS.nonce]: [nonce],
      [INGEST_HEADERS.signature]: [formatSignatureHeader(signature)],
      [INGEST_HEADERS.keyId]: [o.keyId],
    },
  };
}

/** A capture as the extension sends it, numbered so batches of any size can be built. */
export function sampleEvidence(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `clip-${String(i).padStart(5, '0')}`,
    text: `Customer ${i}: the checkout page timed out twice before my order went through.`,
    sourceKind: 'customer',
    origin: {
      url: `https://reviews.example/acme?page=${i}`,
      title: 'Acme reviews',
      capturedBy: 'Ann',
      capturedAt: '2026-11-23T09:30:00Z',
      via: 'clip',
    },
    sentiment: -1,
    drivers: [],
    target: {
      source: `https://reviews.example/acme?page=${i}`,
      quote: {
        type: 'TextQuoteSelector',
        exact: 'the checkout page timed out',
        prefix: `Customer ${i}: `,
        suffix: ' twice',
      },
      position: { type: 'TextPositionSelector', start: 12, end: 39 },
    },
    ...overrides,
  };
}

/** A batch body of evidence items. */
export function evidenceBatch(
  evidence: readonly Record<string, unknown>[],
  sentAt = '2026-11-23T10:00:00Z',
): string {
  return JSON.stringify({
    version: 1,
    sentAt,
    items: evidence.map((e) => ({ clientId: e.id, kind: 'evidence', payload: { evidence: e } })),
  });
}
