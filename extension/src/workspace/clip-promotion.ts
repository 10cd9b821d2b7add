import type { Action, Evidence, OrgGoal } from '@cxplan/core';

/** Longest title a promoted clip proposes; the user sees and edits it in the form before anything is saved. */
export const PROMOTED_TITLE_MAX = 120;

/** A clip's text as a proposed goal or action title: whitespace collapsed, cut at a word near the limit. */
export function promotedTitle(text: string, max: number = PROMOTED_TITLE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  // A word boundary in the last third keeps the title readable; one very long word is cut where it is.
  return `${(space > max * 0.66 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What a clip captured as a goal or an action became: the goal or action whose evidence links name it. */
export type Promotion =
  | { kind: 'goal'; id: string; title: string }
  | { kind: 'action'; id: string; title: string };

/**
 * Clip id → what it was promoted to, derived from the links that saving the goal or action created (no flag is
 * stored on the clip, so deleting the goal or dropping the link un-promotes it). A goal capture counts as promoted
 * by an organisation goal citing it, an action capture by an action linking it; the first found wins.
 */
export function promotionsByClip(
  orgGoals: readonly Pick<OrgGoal, 'id' | 'title' | 'evidenceIds'>[],
  actions: readonly Pick<Action, 'id' | 'title' | 'evidenceIds'>[],
): ReadonlyMap<string, Promotion> {
  const out = new Map<string, Promotion>();
  for (const g of orgGoals)
    for (const id of g.evidenceIds)
      if (!out.has(`goal:${id}`)) out.set(`goal:${id}`, { kind: 'goal', ...pick(g) });
  for (const a of actions)
    for (const id of a.evidenceIds)
      if (!out.has(`action:${id}`)) out.set(`action:${id}`, { kind: 'action', ...pick(a) });
  return out;
}

/** The promotion of one clip, if its intent is goal or action and a matching link exists. */
export function promotionOf(
  promotions: ReadonlyMap<string, Promotion>,
  clip: Pick<Evidence, 'id' | 'intent'>,
): Promotion | undefined {
  if (clip.intent !== 'goal' && clip.intent !== 'action') return undefined;
  return promotions.get(`${clip.intent}:${clip.id}`);
}

function pick(x: { id: string; title: string }): { id: string; title: string } {
  return { id: x.id, title: x.title };
}
