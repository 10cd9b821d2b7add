import type { JiraPull, TeamOp } from '@cxplan/core';
import type { StoredPlan } from '../team-store/plan-reads';
import { putOp } from '../team-store/team-store';

/** What flowed back from Jira in one sync, as operations on the team store. */
export interface PullOps {
  /** Issue links: fields only the app writes (applied as `system`). */
  links: TeamOp[];
  /** Summaries and statuses changed in Jira (applied as `trusted`, merged by version like anyone's edit). */
  edits: TeamOp[];
}

/**
 * Turns the sync's pulls into team-store operations, each on the version the sync read: a replica that changed the
 * same field after that read wins (the store marks the pull superseded) and the next sync pushes its value; a
 * replica that had not seen the Jira edit is superseded by it. Pulls for entities the plan no longer holds (deleted
 * meanwhile) are dropped.
 */
export function pullOps(
  pulls: readonly JiraPull[],
  plan: StoredPlan,
  syncedAt: string,
  opId: (what: string) => string,
): PullOps {
  const goals = new Map(plan.deptGoals.filter((g) => !g.deleted).map((g) => [g.id, g.version]));
  const actions = new Map(plan.actions.filter((a) => !a.deleted).map((a) => [a.id, a.version]));
  const out: PullOps = { links: [], edits: [] };
  for (const pull of pulls) {
    const kind = pull.kind === 'status' || pull.entity === 'action' ? 'actions' : 'deptGoals';
    const version = (kind === 'actions' ? actions : goals).get(pull.coreId);
    if (version === undefined) continue;
    switch (pull.kind) {
      case 'link':
        out.links.push(
          putOp(opId('jira-link'), kind, pull.coreId, version, {
            jira: { issueKey: pull.issueKey, issueId: pull.issueId, syncedAt },
          }),
        );
        break;
      case 'title':
        out.edits.push(putOp(opId('jira-title'), kind, pull.coreId, version, { title: pull.title }));
        break;
      case 'status':
        out.edits.push(putOp(opId('jira-status'), kind, pull.coreId, version, { status: pull.status }));
        break;
    }
  }
  return out;
}
