import {
  type Action,
  canonicalJson,
  type DeptGoal,
  type FieldError,
  type IngestItemResult,
  type IngestPerson,
  ownerToAccountId,
  type Person,
  type PlanSlice,
  withMergedReadings,
} from '@cxplan/core';
import { type RunSyncDeps, runSync, type SyncOutcome } from '../run-sync';
import type { PlanItem, PlanItemSink } from './plan-item-sink';

/**
 * Goals and actions from the extension go into the Jira app's stored plan (the system of record for the cycle),
 * merged by id, then one sync pushes the plan to Jira through the mapping and the sync planner: new goals become
 * epics, actions their child issues, unchanged ones cost no write. Fields Jira owns are kept from the stored plan:
 * the issue link, and a goal's verification state and history (verification happens by workflow transition in
 * Jira, never from the extension). Owners arrive as the extension's person ids and are stored as Atlassian
 * account ids, the ids people have in the Jira app (see {@link ownersToAccounts}).
 */
export function planIngestSink(makeDeps: () => RunSyncDeps): PlanItemSink {
  return {
    async apply(received, people = []) {
      const deps = makeDeps();
      const results = new Map<string, IngestItemResult>();
      const owned = received.some((i) => (i.kind === 'deptGoal' ? i.goal.ownerId : i.action.ownerId));
      const organisationPeople = owned ? ((await deps.readTarget()).people ?? []) : [];
      const { items, rejected: unmapped } = ownersToAccounts(received, people, organisationPeople);
      for (const r of unmapped) results.set(r.clientId, r);
      const byCycle = new Map<string, PlanItem[]>();
      for (const item of items) {
        const cycleId = item.kind === 'deptGoal' ? item.goal.cycleId : item.action.cycleId;
        byCycle.set(cycleId, [...(byCycle.get(cycleId) ?? []), item]);
      }
      for (const [cycleId, cycleItems] of byCycle) {
        const previous = await deps.plans.load(cycleId);
        const { plan, statuses, rejected } = mergeIntoPlan(
          previous ?? { cycleId, orgGoals: [], deptGoals: [], actions: [] },
          cycleItems,
        );
        for (const r of rejected) results.set(r.clientId, r);
        const saved = await deps.plans.save(plan, previous);
        for (const [clientId, kind, status] of statuses) {
          results.set(
            clientId,
            saved.ok
              ? { clientId, kind, status }
              : {
                  clientId,
                  kind,
                  status: 'rejected',
                  retryable: false,
                  reason: `the plan could not be saved: ${saved.message}`,
                },
          );
        }
      }
      // Push to Jira now when we can; when Jira is not configured or another sync holds the lock, the plan is
      // saved and the next (scheduled) sync pushes it.
      // Every cycle the batch touched is synced, not only the current one: a batch that starts the next cycle
      // also carries last cycle's final updates.
      const synced: string[] = [];
      for (const cycleId of byCycle.keys()) {
        let outcome: SyncOutcome | undefined;
        try {
          outcome = await runSync(deps, cycleId);
        } catch (error) {
          // The items are safely in the plan; Jira being unavailable only delays the push to the next sync.
          console.warn(
            'cxplan ingest: plan saved, Jira sync deferred:',
            error instanceof Error ? error.message : error,
          );
        }
        if (outcome?.kind === 'synced') synced.push(cycleId);
      }
      if (synced.length > 0) await attachIssueKeys(deps, synced, results);
      return results;
    },
  };
}

/**
 * Replaces each goal's and action's `ownerId` (an extension person id) with the owner's Atlassian account id,
 * found by the core's rule from the batch's people and the organisation's people (pure). An owner whose account
 * is unknown is not guessed: the item is rejected naming the field, and nothing of it is stored.
 */
export function ownersToAccounts(
  items: readonly PlanItem[],
  batchPeople: readonly IngestPerson[],
  organisationPeople: readonly Person[],
): { items: PlanItem[]; rejected: IngestItemResult[] } {
  const mapped: PlanItem[] = [];
  const rejected: IngestItemResult[] = [];
  const reject = (item: PlanItem, errors: readonly FieldError[]): void => {
    rejected.push({
      clientId: item.clientId,
      kind: item.kind,
      status: 'rejected',
      // Sending it again changes nothing until the person's Jira account is known (extension or admin page).
      retryable: false,
      reason: errors[0]?.message ?? 'the owner has no Jira account',
      errors: [...errors],
    });
  };
  for (const item of items) {
    if (item.kind === 'deptGoal') {
      const owner = ownerToAccountId(item.goal, 'payload.goal.ownerId', batchPeople, organisationPeople);
      if (owner.ok) mapped.push({ ...item, goal: owner.value });
      else reject(item, owner.errors);
    } else {
      const owner = ownerToAccountId(item.action, 'payload.action.ownerId', batchPeople, organisationPeople);
      if (owner.ok) mapped.push({ ...item, action: owner.value });
      else reject(item, owner.errors);
    }
  }
  return { items: mapped, rejected };
}

/** Where each item ended up after merging, and the items that cannot go into the plan. */
interface Merge {
  plan: PlanSlice;
  statuses: Array<[string, 'deptGoal' | 'action', 'created' | 'updated' | 'duplicate']>;
  rejected: IngestItemResult[];
}

/** Merges goals and actions into a cycle's plan by id (pure). */
export function mergeIntoPlan(previous: PlanSlice, items: readonly PlanItem[]): Merge {
  const goals = new Map(previous.deptGoals.map((g) => [g.id, g]));
  const actions = new Map(previous.actions.map((a) => [a.id, a]));
  const statuses: Merge['statuses'] = [];
  const rejected: IngestItemResult[] = [];
  const statusOf = <T>(before: T | undefined, after: T): 'created' | 'updated' | 'duplicate' =>
    before === undefined
      ? 'created'
      : canonicalJson(before) === canonicalJson(after)
        ? 'duplicate'
        : 'updated';

  for (const item of items) {
    if (item.kind !== 'deptGoal') continue;
    const before = goals.get(item.goal.id);
    const after: DeptGoal = before
      ? {
          ...item.goal,
          ...(item.goal.metric && { metric: withMergedReadings(item.goal.metric, before.metric) }),
          verification: before.verification,
          verificationHistory: before.verificationHistory,
          ...(before.jira && { jira: before.jira }),
        }
      : { ...item.goal, verification: { status: 'draft' }, verificationHistory: [] };
    goals.set(after.id, after);
    statuses.push([item.clientId, 'deptGoal', statusOf(before, after)]);
  }
  for (const item of items) {
    if (item.kind !== 'action') continue;
    if (!goals.has(item.action.deptGoalId)) {
      rejected.push({
        clientId: item.clientId,
        kind: 'action',
        status: 'rejected',
        retryable: true,
        reason: `payload.action.deptGoalId: department goal ${item.action.deptGoalId} is not in the Jira app's plan yet; send the goal first`,
      });
      continue;
    }
    const before = actions.get(item.action.id);
    const merged: Action = before
      ? {
          ...item.action,
          ...(item.action.metric && { metric: withMergedReadings(item.action.metric, before.metric) }),
        }
      : item.action;
    const after: Action = before?.jira ? { ...merged, jira: before.jira } : merged;
    actions.set(after.id, after);
    statuses.push([item.clientId, 'action', statusOf(before, after)]);
  }
  return {
    plan: { ...previous, deptGoals: [...goals.values()], actions: [...actions.values()] },
    statuses,
    rejected,
  };
}

async function attachIssueKeys(
  deps: RunSyncDeps,
  cycleIds: readonly string[],
  results: Map<string, IngestItemResult>,
): Promise<void> {
  for (const cycleId of cycleIds) {
    const plan = await deps.plans.load(cycleId);
    if (!plan) continue;
    for (const entity of [...plan.deptGoals, ...plan.actions]) {
      const r = results.get(entity.id);
      if (r && r.status !== 'rejected' && entity.jira)
        results.set(entity.id, { ...r, jiraKey: entity.jira.issueKey });
    }
  }
}
