import { describe, expectTypeOf, it } from 'vitest';
import type { IngestItem, IngestItemKind } from './ingest-batch';
import type { IngestRefusalCode } from './ingest-refusal';
import type { IngestItemResult, IngestItemStatus, IngestResponse } from './ingest-result';
import type { SendOutcome } from './ingest-send-policy';

/** Compile-only checks of the wire contract's public types (they fail `tsc`, not the run). */
describe('ingest contract types', () => {
  it('item results are a union on status; only rejections carry a reason and retryable', () => {
    expectTypeOf<IngestItemStatus>().toEqualTypeOf<'created' | 'updated' | 'duplicate' | 'rejected'>();
    expectTypeOf<Extract<IngestItemResult, { status: 'rejected' }>>()
      .toHaveProperty('retryable')
      .toEqualTypeOf<boolean>();
    expectTypeOf<Extract<IngestItemResult, { status: 'created' }>>().not.toHaveProperty('reason');
  });

  it('a response is either accepted with results or refused with a code', () => {
    expectTypeOf<Extract<IngestResponse, { ok: true }>>()
      .toHaveProperty('results')
      .toEqualTypeOf<IngestItemResult[]>();
    expectTypeOf<Extract<IngestResponse, { ok: false }>>()
      .toHaveProperty('code')
      .toEqualTypeOf<IngestRefusalCode>();
  });

  it('parsed items are discriminated by kind', () => {
    expectTypeOf<IngestItem['kind']>().toEqualTypeOf<IngestItemKind>();
    expectTypeOf<Extract<IngestItem, { kind: 'action' }>['payload']>().toHaveProperty('action');
    expectTypeOf<SendOutcome>().toEqualTypeOf<
      'accepted' | 'retry-later' | 're-sign' | 'split' | 'unpaired' | 'rejected'
    >();
  });
});
