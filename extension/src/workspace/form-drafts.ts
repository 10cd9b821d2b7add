import type { OrgGoal } from '@cxplan/core';
import { BLANK_METRIC, type MetricDraft } from './MetricFields';

/** The organisation goal being written in the strategy session. */
export interface StrategyDraft {
  editing: OrgGoal | undefined;
  title: string;
  description: string;
  metric: MetricDraft;
}

// Module state on purpose: drafts live for the page's lifetime, across screens, and are never stored.
let strategy: StrategyDraft = { editing: undefined, title: '', description: '', metric: BLANK_METRIC };
let action: { title: string; evidenceIds: string[] } | undefined;

/** The strategy draft (kept while the user visits other screens to pick evidence). */
export function readStrategyDraft(): StrategyDraft {
  return strategy;
}

/** Replaces the strategy draft; the strategy screen calls it on every render, promotion to start a new goal. */
export function writeStrategyDraft(next: StrategyDraft): void {
  strategy = next;
}

/** Starts a new organisation goal titled `title` (its citations travel in the workspace context). */
export function startOrgGoalDraft(title: string): void {
  strategy = { editing: undefined, title, description: '', metric: BLANK_METRIC };
}

/** Asks the goals screen to open its action form pre-filled; taken once, when that screen next mounts. */
export function startActionDraft(title: string, evidenceIds: readonly string[]): void {
  action = { title, evidenceIds: [...evidenceIds] };
}

/** The pending pre-filled action, removed so a later visit opens a blank form. */
export function takeActionDraft(): { title: string; evidenceIds: string[] } | undefined {
  const a = action;
  action = undefined;
  return a;
}
