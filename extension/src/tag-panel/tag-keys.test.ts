import { describe, expect, it } from 'vitest';
import { applyKey, type TagDraft } from './tag-keys';

const stages = ['stage-aware', 'stage-shop-buy', 'stage-pay'];
const draft: TagDraft = { sourceKind: 'customer', drivers: [] };

/** Presses keys in order, carrying chords, and returns the final draft and what the last key did. */
function press(keys: string[], start: TagDraft = draft, events: string[] = []) {
  let d = start;
  let chord: 's' | 'e' | 'd' | null = null;
  let last = applyKey(d, '', null, stages, events);
  for (const key of keys) {
    last = applyKey(d, key, chord, stages, events);
    chord = last.type === 'chord' ? last.prefix : null;
    if (last.type === 'draft') d = last.draft;
  }
  return { draft: d, last };
}

describe('tag panel keys (every tag in at most two keystrokes)', () => {
  it.each([
    [['p'], { sourceKind: 'partner' }],
    [['M'], { sourceKind: 'manager' }],
    [['1'], { sentiment: -2 }],
    [['5'], { sentiment: 2 }],
    [['s', '3'], { stageId: 'stage-pay' }],
    [['d', '3'], { drivers: ['pain'] }],
  ])('%j sets %j', (keys, expected) => {
    expect(press(keys).draft).toMatchObject(expected);
  });

  it('picks an event of the chosen stage, and a new stage clears an event of the old one', () => {
    const withEvent = press(['s', '2', 'e', '1'], draft, ['ev-compare']).draft;
    expect(withEvent).toMatchObject({ stageId: 'stage-shop-buy', eventId: 'ev-compare' });
    expect(press(['s', '3'], withEvent).draft.eventId).toBeUndefined();
    expect(press(['s', '2'], withEvent).draft.eventId).toBe('ev-compare');
  });

  it('toggles a driver off again', () => {
    expect(press(['d', '1', 'd', '1']).draft.drivers).toEqual([]);
  });

  it('ignores digits out of range and unknown keys; Enter saves and Escape closes', () => {
    expect(press(['s', '9']).draft).toEqual(draft);
    expect(press(['x']).last).toEqual({ type: 'none' });
    expect(press(['Enter']).last).toEqual({ type: 'save' });
    expect(press(['s', 'Escape']).last).toEqual({ type: 'close' });
  });
});
