import {
  ACTION_PROPERTY,
  type ActionStatus,
  applyJiraPulls,
  GOAL_PROPERTY,
  type JiraSyncConfig,
  type SyncWorkspace,
  statusCategoryOf,
} from '@cxplan/core';
import api from '@forge/api';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { JiraClient } from '../jira-client/jira-client';
import { FakeJira } from '../testing/fake-jira';
import { useFakeJira } from '../testing/forge-mocks';
import { CYCLE_ID, FakeClock, planFixture } from '../testing/plan-fixture';
import { syncToJira } from './sync-executor';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});

const config: JiraSyncConfig = {
  projectKey: 'CX',
  epicIssueTypeId: '10000',
  actionIssueTypeId: '10001',
  cycleId: CYCLE_ID,
};
const statuses: ActionStatus[] = ['todo', 'in-progress', 'done', 'dropped'];
const categories = ['new', 'indeterminate', 'done'] as const;

/** An edit made between two syncs, in cxplan or in Jira, to the action at `index` (modulo the plan size). */
type Edit =
  | { side: 'local'; index: number; title?: string; status?: ActionStatus }
  | { side: 'jira'; index: number; summary?: string; category?: (typeof categories)[number] };

const title = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[a-z]$/);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    side: fc.constant('local' as const),
    index: fc.nat(),
    title: fc.option(title, { nil: undefined }),
    status: fc.option(fc.constantFrom(...statuses), { nil: undefined }),
  }),
  fc.record({
    side: fc.constant('jira' as const),
    index: fc.nat(),
    summary: fc.option(title, { nil: undefined }),
    category: fc.option(fc.constantFrom(...categories), { nil: undefined }),
  }),
);

function writes(jira: FakeJira, from: number): number {
  return jira.calls
    .slice(from)
    .filter((c) => c.method !== 'GET' && c.operationId !== 'searchAndReconsileIssuesUsingJqlPost').length;
}

describe('sync invariants over random plans and edits on both sides', () => {
  it('never duplicates, keeps children under their epics, merges one-sided edits, keeps conflicts, and settles at zero writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.constantFrom(...statuses), { maxLength: 18 }),
        fc.array(edit, { maxLength: 8 }),
        async (goals, perGoal, initialStatuses, edits) => {
          const jira = new FakeJira();
          useFakeJira(jira);
          const client = (): JiraClient => new JiraClient(api.asApp(), { clock: new FakeClock() });
          const sync = async (plan: SyncWorkspace): Promise<SyncWorkspace> => {
            const report = await syncToJira(client(), plan, config);
            expect(report.failures).toEqual([]);
            return applyJiraPulls(plan, report.pulls, '2026-11-23T12:00:00Z');
          };

          const fixture = planFixture(goals, perGoal);
          let plan: SyncWorkspace = {
            ...fixture,
            actions: fixture.actions.map((a, i) => ({ ...a, status: initialStatuses[i] ?? 'todo' })),
          };
          plan = await sync(plan);
          const before = new Map(
            plan.actions.map((a) => [a.id, { title: a.title, category: statusCategoryOf(a.status) }]),
          );
          const local = new Map<string, { title?: string; category?: string }>();
          const remote = new Map<string, { title?: string; category?: string }>();
          for (const e of edits) {
            const action = plan.actions[e.index % Math.max(1, plan.actions.length)];
            if (!action) continue;
            const seen = (e.side === 'local' ? local : remote).get(action.id) ?? {};
            if (e.side === 'local') {
              local.set(action.id, {
                ...seen,
                ...(e.title && { title: e.title }),
                ...(e.status && { category: statusCategoryOf(e.status) }),
              });
              plan = {
                ...plan,
                actions: plan.actions.map((a) =>
                  a.id === action.id
                    ? { ...a, ...(e.title && { title: e.title }), ...(e.status && { status: e.status }) }
                    : a,
                ),
              };
            } else {
              remote.set(action.id, {
                ...seen,
                ...(e.summary && { title: e.summary }),
                ...(e.category && { category: e.category }),
              });
              const key = action.jira?.issueKey ?? '';
              if (e.summary) jira.editSummary(key, e.summary);
              if (e.category) jira.moveToCategory(key, e.category);
            }
          }
          plan = await sync(plan);
          // Three-way expectations per field: one side changed → both sides hold it; both changed differently → each keeps its own.
          for (const action of plan.actions) {
            const issue = jira.issueByKey(action.jira?.issueKey ?? '');
            const base = before.get(action.id);
            for (const field of ['title', 'category'] as const) {
              const original = base?.[field];
              const mine = local.get(action.id)?.[field] ?? original;
              const theirs = remote.get(action.id)?.[field] ?? original;
              const inPlan = field === 'title' ? action.title : statusCategoryOf(action.status);
              const inJira = field === 'title' ? issue.summary : jira.categoryOf(issue);
              if (mine !== original && theirs !== original && mine !== theirs) {
                expect([inPlan, inJira]).toEqual([mine, theirs]);
              } else {
                const agreed = mine !== original ? mine : theirs;
                expect([inPlan, inJira]).toEqual([agreed, agreed]);
              }
            }
          }
          const mark = jira.calls.length;
          plan = await sync(plan);
          expect(writes(jira, mark)).toBe(0);

          const goalIds = [...jira.issues.values()]
            .map((i) => (i.properties.get(GOAL_PROPERTY) as { id?: string } | undefined)?.id)
            .filter(Boolean);
          const actionIssues = [...jira.issues.values()].filter((i) => i.properties.has(ACTION_PROPERTY));
          expect(goalIds).toHaveLength(goals);
          expect(new Set(goalIds).size).toBe(goals);
          expect(actionIssues).toHaveLength(goals * perGoal);
          for (const issue of actionIssues) {
            const { id } = issue.properties.get(ACTION_PROPERTY) as { id: string };
            const action = plan.actions.find((a) => a.id === id);
            const epicKey = plan.deptGoals.find((g) => g.id === action?.deptGoalId)?.jira?.issueKey;
            expect(issue.parentKey).toBe(epicKey);
            expect(action?.jira?.issueKey).toBe(issue.key);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
