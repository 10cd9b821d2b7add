import { parseWith } from '@cxplan/core';
import type { GetDataType, GetReturnType } from '@webext-core/messaging';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EvidenceRow } from '../storage/evidence-row';
import {
  type CaptureOutcome,
  CaptureRequestSchema,
  type CxplanProtocol,
  type LocateOutcome,
  LocateRequestSchema,
  type PanelState,
  TagRequestSchema,
} from './protocol';

describe('message contract', () => {
  it('types each message’s data and answer (compile-time)', () => {
    expectTypeOf<GetDataType<CxplanProtocol['captureSelection']>>().toMatchTypeOf<{ tabId: number }>();
    expectTypeOf<GetReturnType<CxplanProtocol['captureSelection']>>().toEqualTypeOf<CaptureOutcome>();
    expectTypeOf<GetReturnType<CxplanProtocol['locateClip']>>().toEqualTypeOf<LocateOutcome>();
    expectTypeOf<GetReturnType<CxplanProtocol['getPanelState']>>().toEqualTypeOf<PanelState | null>();
    expectTypeOf<Extract<CaptureOutcome, { ok: true }>['evidence']>().toEqualTypeOf<EvidenceRow>();
    expectTypeOf<Extract<CaptureOutcome, { ok: false }>['message']>().toEqualTypeOf<string>();
  });

  it('fills defaults for captureSelection and names the field of bad data', () => {
    expect(parseWith(CaptureRequestSchema, { tabId: 4 })).toEqual({
      ok: true,
      value: { tabId: 4, intent: 'feedback', openPanel: true },
    });
    const bad = parseWith(CaptureRequestSchema, { tabId: 1.5, intent: 'rant' }, 'data');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => e.path)).toEqual(['tabId', 'intent']);
      expect(bad.errors[1]?.message).toMatch(/^intent /);
    }
  });

  it('refuses tags outside the model (sentiment range, unknown source kind)', () => {
    const r = parseWith(TagRequestSchema, { id: 'c1', tags: { sentiment: 3, sourceKind: 'blogger' } });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['tags.sourceKind', 'tags.sentiment']);
    expect(parseWith(LocateRequestSchema, { tabId: 2, evidenceId: '' }).ok).toBe(false);
  });
});
