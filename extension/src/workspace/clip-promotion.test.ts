import { describe, expect, it } from 'vitest';
import { PROMOTED_TITLE_MAX, promotedTitle, promotionOf, promotionsByClip } from './clip-promotion';

describe('promotedTitle', () => {
  it('keeps a short text, collapsing whitespace', () => {
    expect(promotedTitle('  Halve   refund\n time ')).toBe('Halve refund time');
  });

  it('cuts a long text at a word within the limit and marks the cut', () => {
    const text = `${'word '.repeat(60)}end`;
    const title = promotedTitle(text);
    expect(title.length).toBeLessThanOrEqual(PROMOTED_TITLE_MAX);
    expect(title.endsWith('word…')).toBe(true);
  });

  it('cuts one very long word where it is', () => {
    expect(promotedTitle('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('promotionsByClip', () => {
  const orgGoals = [{ id: 'og1', title: 'Faster refunds', evidenceIds: ['c-goal', 'c-other'] }];
  const actions = [{ id: 'a1', title: 'Refund bot', evidenceIds: ['c-action', 'c-goal'] }];
  const p = promotionsByClip(orgGoals, actions);

  it('names the goal citing a goal capture and the action linking an action capture', () => {
    expect(promotionOf(p, { id: 'c-goal', intent: 'goal' })).toEqual({
      kind: 'goal',
      id: 'og1',
      title: 'Faster refunds',
    });
    expect(promotionOf(p, { id: 'c-action', intent: 'action' })).toEqual({
      kind: 'action',
      id: 'a1',
      title: 'Refund bot',
    });
  });

  it('does not count a link of the other kind, nor feedback', () => {
    expect(promotionOf(p, { id: 'c-action', intent: 'goal' })).toBeUndefined();
    expect(promotionOf(p, { id: 'c-other', intent: undefined })).toBeUndefined();
    expect(promotionOf(p, { id: 'c-unlinked', intent: 'action' })).toBeUndefined();
  });
});
