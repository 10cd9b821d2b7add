import { type Finding, type PlanWorkspace, type RollUp, statusCounts } from '@cxplan/core';
import type { ScreenId } from '../workspace-context';

/** A count shown beside a screen in the navigation: the figure, and what it counts in words (for screen readers). */
export interface NavCount {
  value: number;
  words: string;
  /** Shown in the alarm colour (something is at risk or critical). */
  urgent: boolean;
}

/**
 * The navigation's counts: clips to tag, goals waiting for this person's verification (everyone's when nobody is
 * chosen), department goals at risk or behind, critical plan checks (once the checks have run). Screens with
 * nothing to count are left out.
 */
export function navCounts(
  ws: PlanWorkspace,
  input: {
    untagged: number;
    personId: string | undefined;
    roll: RollUp | undefined;
    findings: readonly Finding[] | undefined;
  },
): Partial<Record<ScreenId, NavCount>> {
  const out: Partial<Record<ScreenId, NavCount>> = {};
  if (input.untagged > 0)
    out.inbox = { value: input.untagged, words: `${input.untagged} to tag`, urgent: false };
  const cycleId = input.roll?.cycleId;
  const waiting = ws.deptGoals.filter(
    (g) =>
      g.cycleId === cycleId &&
      g.verification.status === 'submitted' &&
      (input.personId === undefined || g.verification.verifierId === input.personId),
  ).length;
  if (waiting > 0)
    out.goals = { value: waiting, words: `${waiting} waiting for verification`, urgent: false };
  if (input.roll !== undefined) {
    const c = statusCounts(input.roll);
    if (c['at-risk'] > 0)
      out.progress = { value: c['at-risk'], words: `${c['at-risk']} at risk`, urgent: true };
    else if (c.behind > 0) out.progress = { value: c.behind, words: `${c.behind} behind`, urgent: false };
  }
  const critical = input.findings?.filter((f) => f.severity === 'critical').length ?? 0;
  if (critical > 0) out.checks = { value: critical, words: `${critical} critical`, urgent: true };
  return out;
}
