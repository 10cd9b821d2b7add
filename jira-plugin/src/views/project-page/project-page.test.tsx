import { planChecks, rollUp, SEVERITY_WORDS } from '@cxplan/core';
import type { ReactElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { workspaceOf } from '../../resolvers/project-plan-view';
import { projectResolver } from '../../resolvers/project-resolver';
import { live, readCyclePlan } from '../../team-store/plan-reads';
import { createOp, type TeamFixture, teamFixture } from '../../testing/team-fixture';
import { type OrganisationConfig, OrganisationConfigStore } from '../../workflow/organisation-config';
import {
  findAll,
  findByText,
  fire,
  installBridge,
  invocations,
  renderForge,
  setBridgeHost,
  textOf,
} from '../testing/forge-render';

installBridge();

let ProjectPage: () => ReactElement;
beforeAll(async () => {
  ({ ProjectPage } = await import('./project-page'));
});

const NOW = '2026-11-23T10:00:00Z';
const metric = (name: string, readings: Array<[string, number]> = []) => ({
  name,
  unit: '%',
  direction: 'increase',
  baseline: 60,
  target: 80,
  due: '2026-12-31',
  readings: readings.map(([at, value], i) => ({ id: `${name}-r${i}`, value, at, recordedAt: at, by: 'dan' })),
});

const config = {
  organisation: { name: 'Acme', businessObjectives: [{ id: 'bo-1', name: 'Keep customers' }] },
  people: [
    {
      id: 'bea',
      name: 'Bea Up-line',
      jiraAccountId: 'bea',
      role: 'executive',
      departmentId: 'exec',
      admin: true,
    },
    { id: 'dan', name: 'Dan Manager', jiraAccountId: 'dan', role: 'manager', departmentId: 'sales' },
  ],
  departments: [
    { id: 'exec', name: 'Executive', managerId: 'bea' },
    { id: 'sales', name: 'Sales', managerId: 'dan', parentId: 'exec' },
  ],
  cycles: [
    { id: 'c-2025', name: 'H2 2025', start: '2025-07-01', end: '2025-12-31', status: 'closed' },
    { id: 'c-2026', name: 'H2 2026', start: '2026-07-01', end: '2026-12-31', status: 'active' },
  ],
};

const plan2026 = {
  cycleId: 'c-2026',
  orgGoals: [
    {
      id: 'org-1',
      cycleId: 'c-2026',
      title: 'Answers first time',
      metric: metric('FCR org'),
      evidenceIds: ['e1'],
    },
  ],
  deptGoals: [
    {
      id: 'goal-1',
      cycleId: 'c-2026',
      departmentId: 'sales',
      title: 'Resolve more on first contact',
      orgGoalId: 'org-1',
      businessObjectiveId: 'bo-1',
      metric: metric('FCR sales', [['2026-10-01T00:00:00Z', 70]]),
      verification: {
        status: 'verified',
        verifierId: 'bea',
        verifiedBy: 'bea',
        verifiedAt: '2026-08-01T00:00:00Z',
      },
      jira: { issueKey: 'CX-1' },
    },
    {
      id: 'goal-2',
      cycleId: 'c-2026',
      departmentId: 'sales',
      title: 'Shorter queues',
      jira: { issueKey: 'CX-2' },
    },
  ],
  actions: [
    {
      id: 'a-1',
      cycleId: 'c-2026',
      deptGoalId: 'goal-1',
      title: 'Publish the runbook',
      status: 'done',
      jira: { issueKey: 'CX-3' },
    },
    {
      id: 'a-2',
      cycleId: 'c-2026',
      deptGoalId: 'goal-1',
      title: 'Train the team',
      status: 'todo',
      due: '2026-12-01',
    },
  ],
};

const plan2025 = {
  cycleId: 'c-2025',
  orgGoals: [
    {
      id: 'org-0',
      cycleId: 'c-2025',
      title: 'Fewer complaints',
      metric: metric('Complaints'),
      evidenceIds: ['e0'],
    },
  ],
  deptGoals: [],
  actions: [],
};

let team: TeamFixture;
let renders = 0;

beforeEach(async () => {
  team = await teamFixture();
  expect((await new OrganisationConfigStore(team.deps).save(config)).ok).toBe(true);
  const results = await team.push(
    'jira',
    [plan2025, plan2026].flatMap((plan) => [
      ...plan.orgGoals.map((g) => createOp('orgGoals', g)),
      ...plan.deptGoals.map((g) => createOp('deptGoals', g)),
      ...plan.actions.map((a) => createOp('actions', a)),
    ]),
    { system: true },
  );
  expect(results.every((r) => r.status === 'applied')).toBe(true);
  const resolver = projectResolver(() => ({ store: team.deps, now: () => new Date(NOW) }));
  setBridgeHost({ resolver: resolver.getDefinitions() as never, context: {}, accountId: 'dan' });
});
afterEach(() => team.close());

async function coreFigures(cycleId: string) {
  const saved = (await new OrganisationConfigStore(team.deps).read()) as OrganisationConfig;
  const stored = await readCyclePlan(team.sql, cycleId);
  const ws = workspaceOf(saved, {
    cycleId,
    orgGoals: live(stored.orgGoals),
    deptGoals: live(stored.deptGoals),
    actions: live(stored.actions),
  });
  return { roll: rollUp(ws, { cycleId, now: NOW }), checks: planChecks(ws, { cycleId, now: NOW }) };
}

describe('project page (rendered through @forge/react, read from the team store)', () => {
  it('draws organisation goal → department goal (epic) → actions with the core’s progress and verification', async () => {
    await renderForge(<ProjectPage key={`page-${++renders}`} />);
    const { roll } = await coreFigures('c-2026');
    expect(findByText('Heading', 'Answers first time')).toBeTruthy();
    const bars = findAll('ProgressBar').map((b) => [b.props.ariaLabel, b.props.value]);
    expect(bars).toEqual([
      [
        `Plan progress of Answers first time: ${Math.round((roll.orgGoals.get('org-1')?.progress ?? -1) * 100)} %`,
        roll.orgGoals.get('org-1')?.progress,
      ],
      [
        `Plan progress of Resolve more on first contact: ${Math.round((roll.deptGoals.get('goal-1')?.progress ?? -1) * 100)} %`,
        roll.deptGoals.get('goal-1')?.progress,
      ],
      [
        `Plan progress of Shorter queues: ${Math.round((roll.deptGoals.get('goal-2')?.progress ?? -1) * 100)} %`,
        roll.deptGoals.get('goal-2')?.progress,
      ],
    ]);
    expect(
      findAll('Lozenge', (l) =>
        ['verified', 'draft', 'awaiting verification', 'rejected'].includes(textOf(l)),
      ).map((l) => textOf(l)),
    ).toEqual(['verified', 'draft']);
    expect(findAll('Link').map((l) => [l.props.href, textOf(l)])).toEqual([
      ['/browse/CX-1', 'CX-1'],
      ['/browse/CX-3', 'CX-3'],
      ['/browse/CX-2', 'CX-2'],
    ]);
    expect(findByText('Inline', 'Publish the runbook')).toBeTruthy();
    expect(findByText('Heading', 'Not linked to an organisation goal')).toBeTruthy();
  });

  it('lists the core’s plan checks, the heat map and the commitment overview', async () => {
    await renderForge(<ProjectPage key={`page-${++renders}`} />);
    const { checks } = await coreFigures('c-2026');
    expect(checks.length).toBeGreaterThan(0);
    const shown = findAll('Inline', (n) =>
      Object.values(SEVERITY_WORDS).some((s) => textOf(n).startsWith(s)),
    ).map((n) => textOf(n));
    expect(shown).toEqual(checks.map((c) => `${SEVERITY_WORDS[c.severity]}${c.message}`));
    const heat = findAll('DynamicTable')[0];
    expect(heat?.props.caption).toBe('Heat map: what to fix first');
    expect(findByText('Heading', 'Commitment overview')).toBeTruthy();
    expect(findAll('Inline', (n) => /^(done|open)\(/.test(textOf(n))).length).toBeGreaterThanOrEqual(5);
    expect(findByText('Text', 'Sales: 0 of 1 acknowledged the plan')).toBeTruthy();
  });

  it('switches cycle with the selector', async () => {
    await renderForge(<ProjectPage key={`page-${++renders}`} />);
    const select = findAll('Select', (s) => s.props.name === 'cycle')[0];
    if (!select) throw new Error('no cycle selector');
    expect((select.props.options as Array<{ label: string }>).map((o) => o.label)).toEqual([
      'H2 2025',
      'H2 2026',
    ]);
    expect((select.props.value as { label: string }).label).toBe('H2 2026');
    await fire(select, 'onChange', { label: 'H2 2025', value: 'c-2025' });
    expect(invocations.at(-1)).toEqual({ functionKey: 'getProjectPlan', payload: { cycleId: 'c-2025' } });
    expect(findByText('Heading', 'Fewer complaints')).toBeTruthy();
    expect(findAll('Heading', (h) => textOf(h) === 'Answers first time')).toEqual([]);
  });
});
