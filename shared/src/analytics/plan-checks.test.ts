import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/index';
import { action, deptGoal, evidence, orgGoal, workspace } from './fixtures';
import { type Finding, planChecks } from './plan-checks';

const NOW = '2026-06-01T00:00:00Z';

/** A plan that passes every check: the baseline each golden case breaks in exactly one place. */
function clean(): Record<string, unknown[]> {
  return {
    departments: [{ id: 'd1', name: 'Support' }],
    people: [
      { id: 'p-ceo', name: 'Chris CEO', role: 'executive' },
      { id: 'p-mgr', name: 'Morgan Manager', role: 'manager', departmentId: 'd1' },
    ],
    contributions: [{ id: 'k1', cycleId: 'c1', personId: 'p-ceo', statement: 'Sponsor the support revamp' }],
    events: [{ id: 'e1', stageId: 'stage-use-support', name: 'Get an answer fast' }],
    evidence: [
      evidence('ev1', {
        eventId: 'e1',
        sentiment: -2,
        origin: { capturedBy: 'T', capturedAt: '2026-01-10T00:00:00Z' },
      }),
    ],
    orgGoals: [orgGoal('og1')],
    deptGoals: [deptGoal('dg1')],
    actions: [
      action('a1', { component: 'people' }),
      action('a2', { component: 'process' }),
      action('a3', { component: 'technology' }),
    ],
  };
}

function run(patch: (parts: Record<string, unknown[]>) => void = () => {}): Finding[] {
  const parts = clean();
  patch(parts);
  return planChecks(workspace(parts), { now: NOW });
}

const ids = (findings: Finding[]): string[] => findings.map((f) => f.id);

describe('plan checks (golden: one broken thing → one finding)', () => {
  it('finds nothing in a clean plan', () => {
    expect(run()).toEqual([]);
  });

  it('organisation goal without evidence (cited evidence no longer exists)', () => {
    const f = run((p) => {
      p.orgGoals = [orgGoal('og1', { evidenceIds: ['gone'] })];
    });
    expect(f).toEqual([
      {
        id: 'org-goal-without-evidence:og1',
        rule: 'org-goal-without-evidence',
        severity: 'critical',
        message:
          'Organisation goal "Goal og1" cites no evidence that still exists: goals must be based on customer data.',
        entity: { kind: 'orgGoal', id: 'og1' },
      },
    ]);
  });

  it('department goal without metric, organisation goal or business objective', () => {
    const f = run((p) => {
      p.deptGoals = [
        deptGoal('dg1', { metric: undefined, orgGoalId: undefined, businessObjectiveId: 'nope' }),
      ];
    });
    expect(ids(f)).toEqual([
      'dept-goal-without-metric:dg1',
      'dept-goal-without-org-goal:dg1',
      'dept-goal-without-business-objective:dg1',
    ]);
    expect(f.map((x) => x.severity)).toEqual(['critical', 'critical', 'warning']);
    expect(f[0]?.message).toBe(
      'Department goal "Dept goal dg1" (Support) has no success metric: add one so progress can be measured.',
    );
    expect(f[1]?.message).toContain('is not linked to an organisation goal');
  });

  it('department goal linked to an organisation goal that no longer exists', () => {
    const f = run((p) => {
      p.deptGoals = [deptGoal('dg1', { orgGoalId: 'og-deleted' })];
    });
    expect(f.map((x) => [x.id, x.message])).toEqual([
      [
        'dept-goal-without-org-goal:dg1',
        'Department goal "Dept goal dg1" (Support) is linked to an organisation goal that no longer exists.',
      ],
    ]);
  });

  it('action not measurable, and without a due date', () => {
    const f = run((p) => {
      p.actions = [
        action('a1', { component: 'people', doneCriterion: '  ', due: undefined }),
        action('a2', { component: 'process' }),
        action('a3', { component: 'technology', due: undefined, status: 'done' }),
      ];
    });
    expect(ids(f)).toEqual(['action-not-measurable:a1', 'action-without-due-date:a1']);
  });

  it('department goal unverified more than N days after submission', () => {
    const submitted = (at: string) => ({
      status: 'submitted',
      submittedBy: 'p-mgr',
      submittedAt: at,
      verifierId: 'p-ceo',
    });
    const recent = run((p) => {
      p.deptGoals = [deptGoal('dg1', { verification: submitted('2026-05-20T00:00:00Z') })];
    });
    expect(recent).toEqual([]);
    const f = run((p) => {
      p.deptGoals = [deptGoal('dg1', { verification: submitted('2026-05-01T00:00:00Z') })];
    });
    expect(f.map((x) => [x.id, x.severity, x.message])).toEqual([
      [
        'dept-goal-verification-overdue:dg1',
        'warning',
        'Department goal "Dept goal dg1" (Support) has waited 31 days for verification by the up-line manager (limit 14).',
      ],
    ]);
    const ws = workspace({
      ...clean(),
      deptGoals: [deptGoal('dg1', { verification: submitted('2026-05-01T00:00:00Z') })],
    });
    expect(planChecks(ws, { now: NOW, verificationOverdueDays: 40 })).toEqual([]);
  });

  it('high-priority event (top quartile) with no action', () => {
    const f = run((p) => {
      p.actions = ((p.actions ?? []) as Record<string, unknown>[]).map((a) => ({
        ...a,
        eventIds: [],
        evidenceIds: ['ev1'],
      }));
      p.events = [...(p.events ?? []), { id: 'e2', stageId: 'stage-pay', name: 'Bill is right' }];
      p.evidence = [
        ...(p.evidence ?? []),
        evidence('ev2', { eventId: 'e2', sentiment: -2 }),
        evidence('ev3', { eventId: 'e2', sentiment: -2 }),
      ];
    });
    expect(f.map((x) => [x.id, x.severity, x.message])).toEqual([
      [
        'high-priority-event-without-action:e2',
        'critical',
        '"Bill is right" is among the top quarter of the heat map (rank 1) but no action addresses it.',
      ],
    ]);
  });

  it('department with no goal in an active cycle (not while planning)', () => {
    const patch = (p: Record<string, unknown[]>) => {
      p.departments = [...(p.departments ?? []), { id: 'd2', name: 'Billing' }];
    };
    expect(ids(run(patch))).toEqual(['department-without-goal:d2']);
    const parts = clean();
    patch(parts);
    const planning = workspace({
      ...parts,
      cycles: [{ id: 'c1', name: 'FY2026', start: '2026-01-01', end: '2026-12-31', status: 'planning' }],
    });
    expect(planChecks(planning, { now: NOW })).toEqual([]);
  });

  it('executive with no stated contribution in the cycle', () => {
    const f = run((p) => {
      p.contributions = [];
    });
    expect(f.map((x) => [x.id, x.message])).toEqual([
      [
        'executive-without-contribution:p-ceo',
        'Executive Chris CEO has not stated a contribution to the customer-experience goals of FY2026.',
      ],
    ]);
  });

  it('department goal whose actions miss people, process or technology; or that has no actions', () => {
    const f = run((p) => {
      p.actions = [action('a1', { component: 'people' }), action('a2')];
    });
    expect(f.map((x) => [x.id, x.message])).toEqual([
      [
        'dept-goal-missing-components:dg1',
        'Department goal "Dept goal dg1" (Support) has no action changing process or technology: plans should cover people, process and technology.',
      ],
    ]);
    // With no actions at all, the top event is also left without one.
    const noActions = run((p) => {
      p.actions = [];
    });
    expect(ids(noActions)).toEqual([
      'high-priority-event-without-action:e1',
      'dept-goal-without-actions:dg1',
    ]);
  });

  it('listening without acting: growing evidence on an event nobody acts on', () => {
    const recent = (id: string, day: string) =>
      evidence(id, {
        eventId: 'e2',
        sentiment: 1,
        origin: { capturedBy: 'T', capturedAt: `${day}T00:00:00Z` },
      });
    const growing = (p: Record<string, unknown[]>, n: number, before: number) => {
      p.events = [...(p.events ?? []), { id: 'e2', stageId: 'stage-aware', name: 'Hear about us' }];
      const items = [];
      for (let i = 0; i < n; i++) items.push(recent(`r${i}`, '2026-05-20'));
      for (let i = 0; i < before; i++) items.push(recent(`b${i}`, '2026-04-10'));
      // Positive feedback keeps e2 (score 0.2 per item) below e1 (1.2), out of the heat map's top quartile.
      p.evidence = [...(p.evidence ?? []), ...items];
    };
    const only = (f: Finding[]) => f.filter((x) => x.rule === 'listening-without-acting');
    expect(only(run((p) => growing(p, 3, 2))).map((x) => [x.id, x.message])).toEqual([
      [
        'listening-without-acting:e2',
        'Feedback on "Hear about us" is growing (3 items in the last 30 days, 2 before) but no action refers to it: act on what customers said before collecting more.',
      ],
    ]);
    expect(only(run((p) => growing(p, 3, 3)))).toEqual([]); // not growing
    expect(only(run((p) => growing(p, 2, 0)))).toEqual([]); // too little to call a trend
    // An action citing one of its evidence items counts as acting on it.
    expect(
      only(
        run((p) => {
          growing(p, 3, 0);
          p.actions = [
            ...(p.actions ?? []),
            action('a4', { component: 'people', eventIds: [], evidenceIds: ['r0'] }),
          ];
        }),
      ),
    ).toEqual([]);
  });

  it('listening without acting: given survey responses imported today count from when they were given', () => {
    // Given five responses given in March (long before the window) but imported on 2026-05-20,
    // when the plan is checked, then they are old feedback, not a growing trend; with no givenAt they would be.
    const imported = (id: string, givenAt: string | undefined) =>
      evidence(id, {
        eventId: 'e2',
        sentiment: 1,
        origin: {
          capturedBy: 'T',
          capturedAt: '2026-05-20T00:00:00Z',
          ...(givenAt === undefined ? {} : { givenAt }),
        },
      });
    const withItems = (givenAt: string | undefined) =>
      run((p) => {
        p.events = [...(p.events ?? []), { id: 'e2', stageId: 'stage-aware', name: 'Hear about us' }];
        p.evidence = [...(p.evidence ?? []), ...[0, 1, 2, 3, 4].map((i) => imported(`s${i}`, givenAt))];
      }).filter((x) => x.rule === 'listening-without-acting');
    expect(withItems('2026-03-02T09:14:11Z')).toEqual([]);
    expect(withItems(undefined).map((x) => x.id)).toEqual(['listening-without-acting:e2']);
  });

  it('action linked to no evidence and no event', () => {
    const f = run((p) => {
      p.actions = [
        action('a1', { component: 'people', eventIds: [] }),
        action('a2', { component: 'process' }),
        action('a3', { component: 'technology' }),
      ];
    });
    expect(f.map((x) => [x.id, x.severity])).toEqual([['action-without-evidence-or-event:a1', 'info']]);
  });

  it('sorts findings by severity, rule and id, and only checks the chosen cycle', () => {
    const parts = clean();
    parts.deptGoals = [
      deptGoal('dg1', { metric: undefined }),
      deptGoal('dg0', { cycleId: 'c0', metric: undefined }),
    ];
    parts.contributions = [];
    const ws: Workspace = workspace({
      ...parts,
      cycles: [
        { id: 'c0', name: 'FY2025', start: '2025-01-01', end: '2025-12-31', status: 'closed' },
        { id: 'c1', name: 'FY2026', start: '2026-01-01', end: '2026-12-31', status: 'active' },
      ],
    });
    expect(ids(planChecks(ws, { now: NOW }))).toEqual([
      'dept-goal-without-metric:dg1',
      'executive-without-contribution:p-ceo',
    ]);
  });
});
