import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../io/parse';
import { ActionSchema, DeptGoalSchema, OrgGoalSchema } from '../model/goals';
import { DepartmentSchema } from '../model/organisation';
import { contentHash } from './canonical-json';
import { ACTION_PROPERTY, GOAL_PROPERTY, type JiraIssue, type StatusCategory } from './jira-issue';
import { checkProjectFit, cxplanIssuesJql } from './jira-responses';
import {
  type CreateIssueOp,
  type JiraSyncConfig,
  jiraSummary,
  planJiraSync,
  plannedWriteCalls,
  type SyncWorkspace,
} from './sync-plan';

const config: JiraSyncConfig = {
  projectKey: 'CX',
  epicIssueTypeId: '100',
  actionIssueTypeId: '101',
  cycleId: 'c1',
};
const metric = {
  name: 'NPS',
  unit: 'pts',
  direction: 'increase',
  baseline: 20,
  target: 35,
  due: '2026-12-31',
};

function workspace(
  actions: Array<{ id: string; title?: string; status?: string }> = [{ id: 'a1' }],
): SyncWorkspace {
  return {
    organisation: { name: 'Acme', businessObjectives: [{ id: 'bo1', name: 'Retain customers' }] },
    departments: [parseOrThrow(DepartmentSchema, { id: 'd1', name: 'Support' })],
    orgGoals: [
      parseOrThrow(OrgGoalSchema, {
        id: 'o1',
        cycleId: 'c1',
        title: 'Fewer repeat calls',
        metric,
        evidenceIds: ['e1'],
      }),
    ],
    deptGoals: [
      parseOrThrow(DeptGoalSchema, {
        id: 'g1',
        cycleId: 'c1',
        departmentId: 'd1',
        title: 'Resolve on first contact',
        orgGoalId: 'o1',
        businessObjectiveId: 'bo1',
        metric,
      }),
    ],
    actions: actions.map((a) =>
      parseOrThrow(ActionSchema, { cycleId: 'c1', deptGoalId: 'g1', title: `Title of ${a.id}`, ...a }),
    ),
  };
}

/** Plays Jira: turns the plan's creates into issues, as a successful sync would leave them. */
function jiraAfter(ops: readonly CreateIssueOp[]): JiraIssue[] {
  let n = 0;
  const keyOf = new Map<string, string>();
  return ops.map((op) => {
    n += 1;
    const key = `CX-${n}`;
    keyOf.set(op.coreId, key);
    const parentKey = op.parent
      ? 'key' in op.parent
        ? op.parent.key
        : keyOf.get(op.parent.goalId)
      : undefined;
    return {
      id: String(10_000 + n),
      key,
      fields: {
        summary: op.fields.summary as string,
        description: op.fields.description,
        labels: ['cxplan'],
        issuetype: { id: (op.fields.issuetype as { id: string }).id },
        parent: parentKey ? { key: parentKey } : null,
        status: { statusCategory: { key: 'new' } },
      },
      properties: Object.fromEntries(op.properties.map((p) => [p.key, structuredClone(p.value)])),
    };
  });
}

function synced(ws: SyncWorkspace): JiraIssue[] {
  const plan = planJiraSync(ws, [], config);
  return jiraAfter([...plan.createGoals, ...plan.createActions]);
}

const issue = (issues: JiraIssue[], key: string): JiraIssue => {
  const found = issues.find((i) => i.key === key);
  if (!found) throw new Error(`no ${key}`);
  return found;
};

describe('planJiraSync: first push', () => {
  it('creates an epic and a child keyed by their cxplan properties, the child under the new epic', () => {
    const plan = planJiraSync(workspace(), [], config);
    expect(plan.createGoals).toHaveLength(1);
    expect(plan.createGoals[0]?.fields).toMatchObject({
      project: { key: 'CX' },
      issuetype: { id: '100' },
      summary: 'Resolve on first contact',
      labels: ['cxplan'],
    });
    expect(plan.createGoals[0]?.properties[0]).toMatchObject({
      key: GOAL_PROPERTY,
      value: { id: 'g1', orgGoalId: 'o1', metric: { name: 'NPS' }, verification: { status: 'draft' } },
    });
    expect(plan.createActions[0]).toMatchObject({ coreId: 'a1', parent: { goalId: 'g1' } });
    expect(plan.createActions[0]?.properties[0]).toMatchObject({
      key: ACTION_PROPERTY,
      value: { id: 'a1', goalId: 'g1' },
    });
    expect(plannedWriteCalls(plan)).toBe(2);
  });

  it('describes the goal in ADF with the organisation goal, objective and metric', () => {
    const description = JSON.stringify(
      planJiraSync(workspace(), [], config).createGoals[0]?.fields.description,
    );
    for (const text of [
      'Fewer repeat calls',
      'Retain customers',
      'Support',
      'NPS',
      '20 pts → 35 pts (increase)',
      '2026-12-31',
    ]) {
      expect(description).toContain(text);
    }
  });

  it('puts a new child under an existing epic by key', () => {
    const issues = synced(workspace());
    const plan = planJiraSync(workspace([{ id: 'a1' }, { id: 'a2' }]), issues, config);
    expect(plan.createActions.map((op) => [op.coreId, op.parent])).toEqual([['a2', { key: 'CX-1' }]]);
  });

  it('asks for a transition after creating an action that is already under way', () => {
    const plan = planJiraSync(workspace([{ id: 'a1', status: 'in-progress' }]), [], config);
    expect(plan.createActions[0]?.thenTransition).toMatchObject({
      toCategory: 'indeterminate',
      property: { value: { synced: { statusCategory: 'indeterminate' } } },
    });
  });
});

describe('planJiraSync: re-sync', () => {
  it('plans nothing for an unchanged plan', () => {
    const plan = planJiraSync(workspace(), synced(workspace()), config);
    expect(plannedWriteCalls(plan)).toBe(0);
    expect(plan.conflicts).toEqual([]);
    expect(plan.pulls.map((p) => p.kind)).toEqual(['link', 'link']);
  });

  it('shortens titles over 255 characters the same way each time, so they do not edit forever', () => {
    const long = workspace([{ id: 'a1', title: 'x'.repeat(400) }]);
    const issues = synced(long);
    expect(issue(issues, 'CX-2').fields.summary).toHaveLength(255);
    expect(plannedWriteCalls(planJiraSync(long, issues, config))).toBe(0);
    expect(jiraSummary('short')).toBe('short');
  });

  // given the summary at the last sync was "base": who changed it decides what happens
  it.each([
    ['base', 'base', 'nothing', undefined],
    ['local', 'base', 'edit summary in Jira', 'local'],
    ['base', 'jira', 'pull into the plan', 'jira'],
    ['same', 'same', 'nothing (and move the base)', 'same'],
    ['local', 'jira', 'conflict', undefined],
  ])('local %s, Jira %s → %s', (local, jira, _outcome, expected) => {
    const base = workspace([{ id: 'a1', title: 'base' }]);
    const issues = synced(base);
    issue(issues, 'CX-2').fields.summary = jira;
    const plan = planJiraSync(workspace([{ id: 'a1', title: local }]), issues, config);
    const edit = plan.edits.find((e) => e.coreId === 'a1');
    const pull = plan.pulls.find((p) => p.kind === 'title');
    const conflict = plan.conflicts.find((c) => c.field === 'summary');
    if (local === jira) {
      expect([edit, pull, conflict]).toEqual([undefined, undefined, undefined]);
      if (local !== 'base')
        expect(plan.propertyWrites[0]?.value).toMatchObject({ synced: { summary: expected } });
    } else if (jira === 'base') {
      expect(edit?.fields).toEqual({ summary: expected });
    } else if (local === 'base') {
      expect(pull).toMatchObject({ coreId: 'a1', title: expected });
      expect(edit).toBeUndefined();
    } else {
      expect(conflict).toEqual({
        entity: 'action',
        coreId: 'a1',
        issueKey: 'CX-2',
        field: 'summary',
        local,
        jira,
      });
      expect(edit).toBeUndefined();
      expect(plan.propertyWrites).toEqual([]);
    }
  });

  it.each<[string, StatusCategory, string]>([
    ['todo', 'done', 'pull done'],
    ['done', 'new', 'transition to done'],
    ['in-progress', 'done', 'conflict'],
  ])('status: local %s, Jira %s → %s', (local, jira, outcome) => {
    const issues = synced(workspace());
    issue(issues, 'CX-2').fields.status.statusCategory.key = jira;
    const plan = planJiraSync(workspace([{ id: 'a1', status: local }]), issues, config);
    if (outcome === 'pull done')
      expect(plan.pulls).toContainEqual({ kind: 'status', coreId: 'a1', issueKey: 'CX-2', status: 'done' });
    if (outcome === 'transition to done')
      expect(plan.transitions).toEqual([{ coreId: 'a1', issueKey: 'CX-2', toCategory: 'done' }]);
    if (outcome === 'conflict') {
      expect(plan.conflicts).toMatchObject([{ field: 'status', local: 'indeterminate', jira: 'done' }]);
      expect(plan.transitions).toEqual([]);
    }
  });

  it('keeps "dropped" when Jira says done', () => {
    const issues = synced(workspace([{ id: 'a1', status: 'dropped' }]));
    issue(issues, 'CX-2').fields.status.statusCategory.key = 'done';
    const plan = planJiraSync(workspace([{ id: 'a1', status: 'dropped' }]), issues, config);
    expect(plan.pulls.filter((p) => p.kind === 'status')).toEqual([]);
  });

  it('re-parents an action whose goal changed, editing only the parent', () => {
    const ws = workspace();
    const two: SyncWorkspace = {
      ...ws,
      deptGoals: [
        ...ws.deptGoals,
        { ...(ws.deptGoals[0] as (typeof ws.deptGoals)[0]), id: 'g2', title: 'Second goal' },
      ],
    };
    const issues = synced(two);
    const moved = { ...two, actions: two.actions.map((a) => ({ ...a, deptGoalId: 'g2' })) };
    const plan = planJiraSync(moved, issues, config);
    expect(plan.edits).toEqual([
      { entity: 'action', coreId: 'a1', issueKey: 'CX-3', fields: { parent: { key: 'CX-2' } } },
    ]);
  });

  it('restores a removed cxplan label without touching the other labels', () => {
    const issues = synced(workspace());
    issue(issues, 'CX-2').fields.labels = ['team-a'];
    expect(planJiraSync(workspace(), issues, config).edits[0]?.fields).toEqual({
      labels: ['team-a', 'cxplan'],
    });
  });

  it('keeps a description edited in Jira and says so', () => {
    const issues = synced(workspace());
    issue(issues, 'CX-1').fields.description = { type: 'doc', version: 1, content: [] };
    const plan = planJiraSync(workspace(), issues, config);
    expect(plan.edits).toEqual([]);
    expect(plan.findings).toContainEqual({
      kind: 'description-edited-in-jira',
      entity: 'goal',
      coreId: 'g1',
      issueKey: 'CX-1',
    });
  });
});

describe('planJiraSync: the cxplan.goal property', () => {
  it('keeps keys it does not know, and mirrors the accounts of the plan’s verification record (never the property’s)', () => {
    const issues = synced(workspace());
    const property = issue(issues, 'CX-1').properties[GOAL_PROPERTY] as Record<string, unknown>;
    property.accounts = { verifier: { accountId: 'someone-who-edited-the-property' } };
    property.note = 'kept';
    const changed: SyncWorkspace = {
      ...workspace(),
      departments: [parseOrThrow(DepartmentSchema, { id: 'd1', name: 'Support', managerId: 'p-dan' })],
      people: [{ id: 'p-dan', name: 'Dan', role: 'manager' }],
    };
    const goal = changed.deptGoals[0];
    if (goal?.metric) goal.metric = { ...goal.metric, target: 40 };
    const plan = planJiraSync(changed, issues, config);
    const written = plan.propertyWrites[0]?.value as Record<string, unknown>;
    expect(written).toMatchObject({ metric: { target: 40 }, note: 'kept' });
    expect(written.accounts).toEqual({ departmentManager: { accountId: 'p-dan', displayName: 'Dan' } });
  });

  it('never takes a verification from the property: a forged one is rewritten from the plan and reported', () => {
    const issues = synced(workspace());
    const property = issue(issues, 'CX-1').properties[GOAL_PROPERTY] as Record<string, unknown>;
    // Someone with edit rights writes a verification into the property (PUT …/properties/cxplan.goal).
    property.verification = {
      status: 'verified',
      verifierId: 'p-self',
      verifiedBy: 'p-self',
      verifiedAt: '2026-11-23T10:00:00Z',
    };
    property.verificationHistory = [{ type: 'verified', by: 'p-self', at: '2026-11-23T10:00:00Z' }];
    const plan = planJiraSync(workspace(), issues, config);
    expect(plan.pulls.filter((p) => p.kind !== 'link')).toEqual([]);
    expect(plan.findings).toContainEqual({
      kind: 'verification-restored',
      coreId: 'g1',
      issueKey: 'CX-1',
      claimed: 'verified',
    });
    expect(plan.propertyWrites[0]?.value).toMatchObject({
      verification: { status: 'draft' },
      verificationHistory: [],
    });
  });

  it('mirrors a verification the workflow recorded in the plan into the property, silently', () => {
    const issues = synced(workspace());
    const recorded = workspace();
    const goal = recorded.deptGoals[0] as (typeof recorded.deptGoals)[0];
    goal.verification = {
      status: 'verified',
      verifierId: 'p-up',
      verifiedBy: 'p-up',
      verifiedAt: '2026-11-23T10:00:00Z',
    };
    goal.verificationHistory = [{ type: 'verified', by: 'p-up', at: '2026-11-23T10:00:00Z' }];
    const plan = planJiraSync(recorded, issues, config);
    expect(plan.findings).toEqual([]);
    expect(plan.propertyWrites[0]?.value).toMatchObject({ verification: { status: 'verified' } });
  });
});

describe('planJiraSync: a cxplan property deleted or damaged in Jira', () => {
  /** The plan after a first sync: its goal and action carry the links the app recorded. */
  const linked = (): SyncWorkspace => {
    const ws = workspace();
    return {
      ...ws,
      deptGoals: ws.deptGoals.map((g) => ({ ...g, jira: { issueKey: 'CX-1', issueId: '10001' } })),
      actions: ws.actions.map((a) => ({ ...a, jira: { issueKey: 'CX-2', issueId: '10002' } })),
    };
  };

  it.each([
    ['deleted', undefined],
    ['damaged', { v: 1, id: 42 }],
  ])(
    'finds an epic whose property was %s by the plan’s link, rewrites the property and creates nothing',
    (_how, damaged) => {
      const issues = synced(workspace());
      const epic = issue(issues, 'CX-1');
      if (damaged === undefined) delete epic.properties[GOAL_PROPERTY];
      else epic.properties[GOAL_PROPERTY] = damaged;
      delete issue(issues, 'CX-2').properties[ACTION_PROPERTY];
      const plan = planJiraSync(linked(), issues, config);
      expect(plan.createGoals).toEqual([]);
      expect(plan.createActions).toEqual([]);
      expect(plan.findings).toEqual([
        { kind: 'property-restored', entity: 'goal', coreId: 'g1', issueKey: 'CX-1' },
        { kind: 'property-restored', entity: 'action', coreId: 'a1', issueKey: 'CX-2' },
      ]);
      expect(plan.propertyWrites.map((w) => [w.issueKey, w.key, (w.value as { id: string }).id])).toEqual([
        ['CX-1', GOAL_PROPERTY, 'g1'],
        ['CX-2', ACTION_PROPERTY, 'a1'],
      ]);
      expect(plan.edits).toEqual([]);
    },
  );
});

describe('planJiraSync: deleted and dropped goals and actions', () => {
  const deleted = (deptGoals: string[], actions: string[]): SyncWorkspace => {
    const ws = workspace([{ id: 'a1' }, { id: 'a2' }]);
    return {
      ...ws,
      deptGoals: ws.deptGoals.filter((g) => !deptGoals.includes(g.id)),
      actions: ws.actions.filter((a) => !actions.includes(a.id)),
      deleted: { deptGoals, actions },
    };
  };

  it('labels the issue of a deleted action cxplan-deleted, closes it and reports it, once', () => {
    const issues = synced(workspace([{ id: 'a1' }, { id: 'a2' }]));
    const plan = planJiraSync(deleted([], ['a2']), issues, config);
    expect(plan.closes).toEqual([
      {
        entity: 'action',
        coreId: 'a2',
        issueKey: 'CX-3',
        labels: ['cxplan', 'cxplan-deleted'],
        transition: true,
      },
    ]);
    expect(plan.findings).toEqual([
      { kind: 'closed', entity: 'action', coreId: 'a2', issueKey: 'CX-3', why: 'deleted' },
    ]);
    // Jira after the close: labelled and done. Nothing more to do, nothing reported again.
    issue(issues, 'CX-3').fields.labels = ['cxplan', 'cxplan-deleted'];
    issue(issues, 'CX-3').fields.status.statusCategory.key = 'done';
    const again = planJiraSync(deleted([], ['a2']), issues, config);
    expect(again.closes).toEqual([]);
    expect(again.findings).toEqual([]);
    expect(plannedWriteCalls(again)).toBe(0);
  });

  it('keeps trying to close a labelled issue whose workflow had no closing transition, without reporting it again', () => {
    const issues = synced(workspace([{ id: 'a1' }, { id: 'a2' }]));
    issue(issues, 'CX-3').fields.labels = ['cxplan', 'cxplan-deleted'];
    const plan = planJiraSync(deleted([], ['a2']), issues, config);
    expect(plan.closes).toEqual([{ entity: 'action', coreId: 'a2', issueKey: 'CX-3', transition: true }]);
    expect(plan.findings).toEqual([]);
  });

  it('closes the epic of a deleted goal and the issues of its actions', () => {
    const issues = synced(workspace([{ id: 'a1' }, { id: 'a2' }]));
    const ws = deleted(['g1'], ['a1']);
    const plan = planJiraSync(ws, issues, config);
    expect(plan.closes.map((c) => [c.issueKey, c.coreId])).toEqual([
      ['CX-1', 'g1'],
      ['CX-2', 'a1'],
      ['CX-3', 'a2'],
    ]);
    expect(plan.findings.map((f) => (f.kind === 'closed' ? f.why : f.kind))).toEqual([
      'deleted',
      'deleted',
      'goal-deleted',
    ]);
    expect(plan.createActions).toEqual([]);
  });

  it('labels a dropped action and takes the label off when it is picked up again', () => {
    const issues = synced(workspace());
    const dropped = planJiraSync(workspace([{ id: 'a1', status: 'dropped' }]), issues, config);
    expect(dropped.edits).toEqual([
      { entity: 'action', coreId: 'a1', issueKey: 'CX-2', fields: { labels: ['cxplan', 'cxplan-deleted'] } },
    ]);
    expect(dropped.transitions).toEqual([{ coreId: 'a1', issueKey: 'CX-2', toCategory: 'done' }]);
    expect(dropped.findings).toContainEqual({
      kind: 'closed',
      entity: 'action',
      coreId: 'a1',
      issueKey: 'CX-2',
      why: 'dropped',
    });
    issue(issues, 'CX-2').fields.labels = ['cxplan', 'cxplan-deleted'];
    const again = planJiraSync(workspace([{ id: 'a1', status: 'in-progress' }]), issues, config);
    expect(again.edits[0]?.fields.labels).toEqual(['cxplan']);
  });
});

describe('planJiraSync: what it leaves alone', () => {
  it('reports duplicates and keeps the oldest issue as the match', () => {
    const issues = synced(workspace());
    const copy = structuredClone(issue(issues, 'CX-2'));
    issues.push({ ...copy, id: '10009', key: 'CX-9' });
    const plan = planJiraSync(workspace(), issues, config);
    expect(plan.findings).toContainEqual({
      kind: 'duplicate',
      entity: 'action',
      coreId: 'a1',
      issueKeys: ['CX-2', 'CX-9'],
    });
    expect(plannedWriteCalls(plan)).toBe(0);
  });

  it('reports issues not in the plan, unkeyed and unreadable, and ignores other cycles', () => {
    const issues = synced(workspace([{ id: 'a1' }, { id: 'a2' }]));
    const unkeyed = structuredClone(issue(issues, 'CX-3'));
    issues.push({ ...unkeyed, id: '10020', key: 'CX-20', properties: {} });
    issues.push({
      ...unkeyed,
      id: '10021',
      key: 'CX-21',
      properties: { [ACTION_PROPERTY]: { v: 1, id: '' } },
    });
    const otherCycle = structuredClone(issue(issues, 'CX-3'));
    (otherCycle.properties[ACTION_PROPERTY] as Record<string, unknown>).cycleId = 'c0';
    issues.push({ ...otherCycle, id: '10022', key: 'CX-22' });
    const plan = planJiraSync(workspace([{ id: 'a1' }]), issues, config);
    expect(plan.findings).toContainEqual({
      kind: 'not-in-plan',
      entity: 'action',
      coreId: 'a2',
      issueKey: 'CX-3',
    });
    expect(plan.findings).toContainEqual({ kind: 'unkeyed', issueKey: 'CX-20' });
    expect(plan.findings.find((f) => f.kind === 'unreadable-property')).toMatchObject({
      issueKey: 'CX-21',
      property: ACTION_PROPERTY,
    });
    expect(plan.findings.some((f) => 'issueKey' in f && f.issueKey === 'CX-22')).toBe(false);
    expect(plannedWriteCalls(plan)).toBe(0);
  });
});

describe('Jira helpers', () => {
  it('builds the one JQL form the app uses, quoting the project key', () => {
    expect(cxplanIssuesJql('CX')).toBe(
      'project = "CX" AND (labels = "cxplan" OR issue.property[cxplan.goal].id IS NOT EMPTY OR issue.property[cxplan.action].id IS NOT EMPTY) ORDER BY key ASC',
    );
  });

  it('explains what a project lacks', () => {
    const fit = checkProjectFit({
      id: '1',
      key: 'OPS',
      issueTypes: [{ id: '3', name: 'Task', hierarchyLevel: 0 }],
    });
    expect(fit).toEqual({
      ok: false,
      problem: expect.stringContaining('Project OPS has no epic issue type'),
    });
    expect(
      checkProjectFit({
        id: '1',
        key: 'CX',
        issueTypes: [
          { id: '1', name: 'Epic', hierarchyLevel: 1 },
          { id: '2', name: 'Story', hierarchyLevel: 0 },
          { id: '3', name: 'Task', hierarchyLevel: 0 },
        ],
      }),
    ).toEqual({ ok: true, epicIssueTypeId: '1', actionIssueTypeId: '3' });
  });

  it('hashes equal JSON equally whatever the key order', () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(contentHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
