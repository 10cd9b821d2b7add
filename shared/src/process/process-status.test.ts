import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../io/parse';
import { findDanglingReferences } from '../model/references';
import { emptyWorkspace, type Workspace, WorkspaceSchema } from '../model/workspace';
import { type ProcessStepId, processStatus } from './process-status';

const AT = '2026-11-01T09:00:00Z';
const metric = {
  name: 'NPS',
  unit: 'pts',
  direction: 'increase',
  baseline: 10,
  target: 20,
  due: '2027-06-30',
};
const verified = { status: 'verified', verifierId: 'ceo', verifiedBy: 'ceo', verifiedAt: AT };

/** A workspace in which every step of cycle c1 is done. */
function complete(): Workspace {
  return parseOrThrow(WorkspaceSchema, {
    ...emptyWorkspace('Acme'),
    organisation: { name: 'Acme', businessObjectives: [{ id: 'bo1', name: 'Grow renewals' }] },
    departments: [
      { id: 'sup', name: 'Support', managerId: 'dan' },
      { id: 'ops', name: 'Operations', managerId: 'olga' },
    ],
    people: [
      { id: 'ceo', name: 'Cee', role: 'executive' },
      { id: 'dan', name: 'Dan', role: 'manager' },
      { id: 'olga', name: 'Olga', role: 'manager' },
    ],
    cycles: [{ id: 'c1', name: '2027', start: '2027-01-01', end: '2027-12-31', status: 'planning' }],
    evidence: (['customer', 'partner', 'manager'] as const).map((sourceKind, i) => ({
      id: `ev${i}`,
      text: `Feedback ${i}`,
      sourceKind,
      origin: { capturedBy: 'Ann', capturedAt: AT },
    })),
    orgGoals: [{ id: 'og1', cycleId: 'c1', title: 'Happier customers', metric, evidenceIds: ['ev0'] }],
    deptGoals: ['sup', 'ops'].map((d) => ({
      id: `dg-${d}`,
      cycleId: 'c1',
      departmentId: d,
      title: `Goal of ${d}`,
      orgGoalId: 'og1',
      businessObjectiveId: 'bo1',
      metric,
      verification: verified,
    })),
    actions: ['sup', 'ops'].map((d) => ({
      id: `a-${d}`,
      cycleId: 'c1',
      deptGoalId: `dg-${d}`,
      title: `Act in ${d}`,
      doneCriterion: 'Shipped',
    })),
    sessions: [
      { id: 's1', cycleId: 'c1', kind: 'strategy', date: '2027-01-10', attendeeIds: ['ceo'] },
      {
        id: 's2',
        cycleId: 'c1',
        kind: 'commitment',
        date: '2027-02-01',
        attendeeIds: ['dan'],
        briefedIds: ['olga'],
        acknowledgements: [
          { personId: 'dan', at: AT },
          { personId: 'olga', at: AT },
        ],
      },
    ],
  });
}

const goal = (ws: Workspace, i: number): Workspace['deptGoals'][number] => {
  const g = ws.deptGoals[i];
  if (g === undefined) throw new Error(`no dept goal ${i}`);
  return g;
};

interface Spec {
  name: string;
  /** The change made to the complete workspace (the "given"). */
  given: (ws: Workspace) => void;
  /** The step examined and what it reports (the "then"). */
  step: ProcessStepId;
  missing: string[];
}

const SPECS: Spec[] = [
  { name: 'nothing missing', given: () => {}, step: 'commitment', missing: [] },
  {
    name: 'no evidence at all',
    given: (ws) => {
      ws.evidence = [];
      ws.orgGoals = [];
    },
    step: 'gather',
    missing: ['no evidence gathered yet'],
  },
  {
    name: 'no organisation goal',
    given: (ws) => {
      ws.orgGoals = [];
    },
    step: 'strategy',
    missing: ['no organisation goal set yet'],
  },
  {
    name: 'organisation goals cite only evidence that was deleted',
    given: (ws) => {
      ws.evidence = ws.evidence.filter((e) => e.id !== 'ev0');
    },
    step: 'strategy',
    missing: ['no organisation goal cites evidence yet'],
  },
  {
    name: 'one of two organisation goals cites nothing that exists',
    given: (ws) => {
      const og = ws.orgGoals[0];
      if (og) ws.orgGoals.push({ ...og, id: 'og2', evidenceIds: ['gone'] });
    },
    step: 'strategy',
    missing: ['1 organisation goal cites no evidence that exists'],
  },
  {
    name: 'no strategy session',
    given: (ws) => {
      ws.sessions = ws.sessions.filter((s) => s.kind !== 'strategy');
    },
    step: 'strategy',
    missing: ['no strategy session recorded'],
  },
  {
    name: 'no departments',
    given: (ws) => {
      ws.departments = [];
    },
    step: 'department-goals',
    missing: ['no departments set up yet'],
  },
  {
    name: 'three departments without a goal',
    given: (ws) => {
      for (const id of ['a', 'b', 'c']) ws.departments.push({ id, name: id });
    },
    step: 'department-goals',
    missing: ['3 departments have no goal'],
  },
  {
    name: 'goals of another cycle do not count',
    given: (ws) => {
      ws.cycles.push({ id: 'c0', name: '2026', start: '2026-01-01', end: '2026-12-31', status: 'closed' });
      goal(ws, 0).cycleId = 'c0';
    },
    step: 'department-goals',
    missing: ['1 department has no goal'],
  },
  {
    name: 'incomplete department goals',
    given: (ws) => {
      for (const g of ws.deptGoals) {
        delete g.orgGoalId;
        delete g.metric;
      }
      delete goal(ws, 0).businessObjectiveId;
    },
    step: 'department-goals',
    missing: [
      '2 department goals are not linked to an organisation goal',
      '1 department goal names no business objective',
      '2 department goals have no success metric',
    ],
  },
  {
    name: 'two department goals not yet verified',
    given: (ws) => {
      goal(ws, 0).verification = { status: 'draft' };
      goal(ws, 1).verification = {
        status: 'submitted',
        submittedBy: 'olga',
        submittedAt: AT,
        verifierId: 'ceo',
      };
    },
    step: 'verification',
    missing: ['2 department goals not yet verified (1 not yet submitted, 1 awaiting verification)'],
  },
  {
    name: 'a rejected goal',
    given: (ws) => {
      goal(ws, 1).verification = {
        status: 'rejected',
        verifierId: 'ceo',
        rejectedBy: 'ceo',
        rejectedAt: AT,
        reason: 'vague',
      };
    },
    step: 'verification',
    missing: ['1 department goal not yet verified (1 rejected, to rework)'],
  },
  {
    name: 'no department goals to verify',
    given: (ws) => {
      ws.deptGoals = [];
      ws.actions = [];
    },
    step: 'verification',
    missing: ['no department goals to verify yet'],
  },
  {
    name: 'a goal whose only action was dropped, and an unmeasurable action',
    given: (ws) => {
      const [a0, a1] = ws.actions;
      if (a0) a0.status = 'dropped';
      if (a1) delete a1.doneCriterion;
    },
    step: 'actions',
    missing: ['1 department goal has no action', '1 action has neither a metric nor a done-criterion'],
  },
  {
    name: 'an action with a metric is measurable',
    given: (ws) => {
      const a = ws.actions[0];
      if (a) {
        delete a.doneCriterion;
        a.metric = { ...metric, direction: 'increase', readings: [] };
      }
    },
    step: 'actions',
    missing: [],
  },
  {
    name: 'no commitment session',
    given: (ws) => {
      ws.sessions = ws.sessions.filter((s) => s.kind !== 'commitment');
    },
    step: 'commitment',
    missing: ['no commitment session recorded'],
  },
  {
    name: 'briefed people who have not acknowledged',
    given: (ws) => {
      const s = ws.sessions.find((x) => x.kind === 'commitment');
      if (s) {
        s.acknowledgements = [];
        s.briefedIds.push('ceo');
      }
    },
    step: 'commitment',
    missing: ['3 people briefed have not acknowledged the plan'],
  },
  {
    name: 'a commitment session with nobody briefed',
    given: (ws) => {
      const s = ws.sessions.find((x) => x.kind === 'commitment');
      if (s) {
        s.attendeeIds = [];
        s.briefedIds = [];
      }
    },
    step: 'commitment',
    missing: ['nobody is recorded as briefed on the plan'],
  },
];

describe('process status: given / when / then', () => {
  it('the complete fixture is itself consistent', () => {
    expect(findDanglingReferences(complete())).toEqual([]);
  });

  it.each(SPECS)('$name → $step', ({ given, step, missing }) => {
    const ws = complete();
    given(ws);
    const r = processStatus(ws, 'c1');
    if (!r.ok) throw new Error(r.message);
    const s = r.status.steps.find((x) => x.id === step);
    expect(s?.missing).toEqual(missing);
    expect(s?.done).toBe(missing.length === 0);
    expect(r.status.next).toBe(r.status.steps.find((x) => !x.done));
  });

  it('a complete cycle has every step done and no next step', () => {
    const r = processStatus(complete(), 'c1');
    expect(r.ok && r.status.steps.map((s) => [s.letter, s.done])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['c1/c2', true],
      ['d', true],
      ['e', true],
    ]);
    expect(r.ok && r.status.next).toBeUndefined();
  });

  it('a new workspace starts at (a), and every later step says what it lacks', () => {
    const ws = emptyWorkspace();
    ws.cycles.push({ id: 'c1', name: '2027', start: '2027-01-01', end: '2027-12-31', status: 'planning' });
    const r = processStatus(ws, 'c1');
    if (!r.ok) throw new Error(r.message);
    expect(r.status.next?.id).toBe('gather');
    expect(r.status.steps.map((s) => s.missing)).toEqual([
      ['no evidence gathered yet'],
      ['no organisation goal set yet', 'no strategy session recorded'],
      ['no departments set up yet'],
      ['no department goals to verify yet'],
      ['no department goals to act on yet'],
      ['no commitment session recorded'],
    ]);
  });

  it('the next step is the first one not done, even when later ones are', () => {
    const ws = complete();
    goal(ws, 0).verification = { status: 'draft' };
    const r = processStatus(ws, 'c1');
    expect(r.ok && r.status.next?.missing).toEqual([
      '1 department goal not yet verified (1 not yet submitted)',
    ]);
  });

  it('gathering notes sources nobody has heard from, without blocking', () => {
    const ws = complete();
    ws.evidence = ws.evidence.filter((e) => e.sourceKind === 'customer');
    const r = processStatus(ws, 'c1');
    const a = r.ok ? r.status.steps[0] : undefined;
    expect(a?.done).toBe(true);
    expect(a?.notes).toEqual(['no evidence from partner organisations yet', 'no evidence from managers yet']);
  });

  it('given the time, it counts goals waiting for verification longer than the workspace allows', () => {
    const ws = complete();
    ws.settings.verificationOverdueDays = 14;
    goal(ws, 0).verification = {
      status: 'submitted',
      submittedBy: 'dan',
      submittedAt: '2026-11-01T09:00:00Z',
      verifierId: 'ceo',
    };
    goal(ws, 1).verification = {
      status: 'submitted',
      submittedBy: 'olga',
      submittedAt: '2026-11-10T09:00:00Z',
      verifierId: 'ceo',
    };
    const at = (now: string): string[] | undefined => {
      const r = processStatus(ws, 'c1', now);
      return r.ok ? r.status.steps.find((s) => s.id === 'verification')?.missing : undefined;
    };
    expect(at('2026-11-15T09:00:00Z')).toEqual([
      '2 department goals not yet verified (2 awaiting verification)',
    ]);
    expect(at('2026-11-15T09:00:01Z')).toEqual([
      '2 department goals not yet verified (2 awaiting verification)',
      '1 department goal has waited more than 14 days for verification',
    ]);
  });

  it('an unknown cycle is refused', () => {
    expect(processStatus(complete(), 'nope')).toEqual({
      ok: false,
      message: 'There is no planning cycle "nope"',
    });
  });
});
