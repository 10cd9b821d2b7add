import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import type { VerificationEvent, VerificationState } from '../model/verification-state';
import { applyToDeptGoal, editDeptGoalMetric, metricDefinitionChanged } from './apply-to-goal';
import {
  decide,
  evolve,
  replay,
  type VerificationCommand,
  type VerificationContext,
  type VerificationError,
} from './verification-machine';

const departments: Department[] = [
  { id: 'exec', name: 'Executive', managerId: 'ceo' },
  { id: 'ops', name: 'Operations', managerId: 'bea', parentId: 'exec' },
  { id: 'support', name: 'Support', managerId: 'dan', parentId: 'ops' },
  { id: 'lab', name: 'Lab', managerId: 'lou' },
  { id: 'twin', name: 'Twin desk', managerId: 'bea', parentId: 'ops' },
];
const NAMES: Record<string, string> = {
  bea: 'Bea Boss',
  dan: 'Dan Desk',
  olga: 'Olga Owner',
  sam: 'Sam Sub',
};
const nameOf = (id: string): string => NAMES[id] ?? id;

const metric = {
  name: 'First-contact resolution',
  unit: '%',
  direction: 'increase' as const,
  baseline: 60,
  target: 75,
  due: '2027-06-30',
  readings: [],
};
const goal: VerificationContext['goal'] = {
  departmentId: 'support',
  orgGoalId: 'og1',
  businessObjectiveId: 'bo1',
  metric,
  ownerId: 'olga',
};
const ctx: VerificationContext = { goal, departments, nameOf };

const T1 = '2026-11-01T09:00:00Z';
const T2 = '2026-11-02T09:00:00Z';
const T3 = '2026-11-03T09:00:00Z';
const submitted: VerificationEvent = { type: 'submitted', by: 'sam', at: T1, verifierId: 'bea' };
const rejected: VerificationEvent = { type: 'rejected', by: 'bea', at: T2, reason: 'Target too low' };
const verified: VerificationEvent = { type: 'verified', by: 'bea', at: T2 };

interface Spec {
  name: string;
  given: VerificationEvent[];
  when: VerificationCommand;
  context?: Partial<VerificationContext>;
  /** The events recorded, or the error refused with ("then"). */
  expected: VerificationEvent[] | { error: VerificationError['code']; message?: string };
}

const SPECS: Spec[] = [
  {
    name: 'a complete draft is submitted to the up-line manager (parent department’s manager)',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    expected: [submitted],
  },
  {
    name: 'an explicit up-line manager wins over the parent’s manager',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: {
      departments: departments.map((d) => (d.id === 'support' ? { ...d, upLineManagerId: 'ceo' } : d)),
    },
    expected: [{ type: 'submitted', by: 'sam', at: T1, verifierId: 'ceo' }],
  },
  {
    name: 'submission says which parts are missing',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: { goal: { departmentId: 'support', ownerId: 'olga' } },
    expected: {
      error: 'incomplete-goal',
      message:
        'This goal cannot be submitted yet: it needs an organisation goal, a business objective and a metric',
    },
  },
  {
    name: 'submission names a single missing part',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: { goal: { ...goal, businessObjectiveId: undefined } },
    expected: {
      error: 'incomplete-goal',
      message: 'This goal cannot be submitted yet: it needs a business objective',
    },
  },
  {
    name: 'a department with no up-line manager cannot submit',
    given: [],
    when: { type: 'submit', by: 'lou', at: T1 },
    context: { goal: { ...goal, departmentId: 'lab' } },
    expected: {
      error: 'no-up-line-manager',
      message: 'Lab has no up-line manager: set one, or give it a parent department with a manager',
    },
  },
  {
    name: 'the up-line manager would be the department’s own manager',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: { goal: { ...goal, departmentId: 'twin' } },
    expected: { error: 'up-line-is-own-manager' },
  },
  {
    name: 'an unknown department is refused',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: { goal: { ...goal, departmentId: 'ghost' } },
    expected: { error: 'unknown-department' },
  },
  {
    name: 'the up-line manager cannot submit a goal they would then verify',
    given: [],
    when: { type: 'submit', by: 'bea', at: T1 },
    expected: { error: 'nobody-could-verify' },
  },
  {
    name: 'a goal owned by the up-line manager cannot be submitted',
    given: [],
    when: { type: 'submit', by: 'sam', at: T1 },
    context: { goal: { ...goal, ownerId: 'bea' } },
    expected: { error: 'nobody-could-verify' },
  },
  {
    name: 'submitting twice is refused and says who it waits for',
    given: [submitted],
    when: { type: 'submit', by: 'sam', at: T2 },
    expected: {
      error: 'illegal-transition',
      message: 'This goal is already submitted and awaits verification by Bea Boss',
    },
  },
  {
    name: 'a verified goal cannot be submitted',
    given: [submitted, verified],
    when: { type: 'submit', by: 'sam', at: T3 },
    expected: { error: 'illegal-transition' },
  },
  {
    name: 'the recorded up-line manager verifies',
    given: [submitted],
    when: { type: 'verify', by: 'bea', at: T2, note: '  Good  ' },
    expected: [{ type: 'verified', by: 'bea', at: T2, note: 'Good' }],
  },
  {
    name: 'someone else may not verify, and the message names the recorded manager',
    given: [submitted],
    when: { type: 'verify', by: 'ceo', at: T2 },
    expected: {
      error: 'not-allowed-to-verify',
      message: 'Only the up-line manager recorded at submission (Bea Boss) may verify this goal',
    },
  },
  {
    name: 'the department’s own manager may not verify',
    given: [submitted],
    when: { type: 'verify', by: 'dan', at: T2 },
    expected: { error: 'not-allowed-to-verify' },
  },
  {
    name: 'the verifier recorded at submission stays, even if the chart changes afterwards',
    given: [submitted],
    when: { type: 'verify', by: 'ceo', at: T2 },
    context: {
      departments: departments.map((d) => (d.id === 'support' ? { ...d, upLineManagerId: 'ceo' } : d)),
    },
    expected: { error: 'not-allowed-to-verify' },
  },
  {
    name: 'a draft cannot be verified',
    given: [],
    when: { type: 'verify', by: 'bea', at: T2 },
    expected: {
      error: 'illegal-transition',
      message: 'This goal is a draft: it must be submitted before it can be verified',
    },
  },
  {
    name: 'verifying twice is refused',
    given: [submitted, verified],
    when: { type: 'verify', by: 'bea', at: T3 },
    expected: { error: 'illegal-transition', message: 'This goal is already verified' },
  },
  {
    name: 'the up-line manager rejects with a reason',
    given: [submitted],
    when: { type: 'reject', by: 'bea', at: T2, reason: ' Target too low ' },
    expected: [rejected],
  },
  {
    name: 'a rejection needs a reason',
    given: [submitted],
    when: { type: 'reject', by: 'bea', at: T2, reason: '   ' },
    expected: { error: 'reason-required', message: 'A reason is required to reject a goal' },
  },
  {
    name: 'only the recorded up-line manager may reject',
    given: [submitted],
    when: { type: 'reject', by: 'olga', at: T2, reason: 'no' },
    expected: { error: 'not-allowed-to-verify' },
  },
  {
    name: 'a rejected goal cannot be verified until resubmitted',
    given: [submitted, rejected],
    when: { type: 'verify', by: 'bea', at: T3 },
    expected: { error: 'illegal-transition' },
  },
  {
    name: 'a rejected goal, once edited, is resubmitted',
    given: [submitted, rejected],
    when: { type: 'submit', by: 'sam', at: T3 },
    expected: [{ type: 'submitted', by: 'sam', at: T3, verifierId: 'bea' }],
  },
  {
    name: 'the submitter withdraws a submitted goal',
    given: [submitted],
    when: { type: 'withdraw', by: 'sam', at: T2 },
    expected: [{ type: 'returned-to-draft', by: 'sam', at: T2, why: 'withdrawn' }],
  },
  {
    name: 'the department manager may withdraw too',
    given: [submitted],
    when: { type: 'withdraw', by: 'dan', at: T2 },
    expected: [{ type: 'returned-to-draft', by: 'dan', at: T2, why: 'withdrawn' }],
  },
  {
    name: 'a stranger may not withdraw',
    given: [submitted],
    when: { type: 'withdraw', by: 'ceo', at: T2 },
    expected: { error: 'not-allowed-to-withdraw' },
  },
  {
    name: 'a draft cannot be withdrawn',
    given: [],
    when: { type: 'withdraw', by: 'sam', at: T2 },
    expected: {
      error: 'illegal-transition',
      message: 'Only a goal awaiting verification can be withdrawn; this one is a draft',
    },
  },
  {
    name: 'editing a verified goal’s metric sends it back to draft',
    given: [submitted, verified],
    when: { type: 'edit-metric', by: 'dan', at: T3 },
    expected: [{ type: 'returned-to-draft', by: 'dan', at: T3, why: 'metric-edited' }],
  },
  {
    name: 'editing a submitted goal’s metric sends it back to draft',
    given: [submitted],
    when: { type: 'edit-metric', by: 'dan', at: T3 },
    expected: [{ type: 'returned-to-draft', by: 'dan', at: T3, why: 'metric-edited' }],
  },
  {
    name: 'editing a draft’s metric records nothing',
    given: [],
    when: { type: 'edit-metric', by: 'dan', at: T3 },
    expected: [],
  },
  {
    name: 'editing a rejected goal’s metric is rework and records nothing',
    given: [submitted, rejected],
    when: { type: 'edit-metric', by: 'dan', at: T3 },
    expected: [],
  },
];

describe('verification machine: given / when / then', () => {
  it.each(SPECS)('$name', ({ given, when, context, expected: then }) => {
    const state = replay(given);
    const result = decide(state, when, { ...ctx, ...context });
    if (Array.isArray(then)) {
      expect(result).toEqual({ ok: true, events: then });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(then.error);
      if (then.message !== undefined) expect(result.error.message).toBe(then.message);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe('evolve', () => {
  it('walks draft → submitted → rejected → submitted → verified → draft, keeping the recorded verifier', () => {
    const states: VerificationState[] = [];
    let s: VerificationState = { status: 'draft' };
    for (const e of [
      submitted,
      rejected,
      { ...submitted, at: T3 },
      verified,
      { type: 'returned-to-draft', by: 'dan', at: T3, why: 'metric-edited' } as const,
    ]) {
      s = evolve(s, e);
      states.push(s);
    }
    expect(states).toEqual([
      { status: 'submitted', submittedBy: 'sam', submittedAt: T1, verifierId: 'bea' },
      { status: 'rejected', verifierId: 'bea', rejectedBy: 'bea', rejectedAt: T2, reason: 'Target too low' },
      { status: 'submitted', submittedBy: 'sam', submittedAt: T3, verifierId: 'bea' },
      { status: 'verified', verifierId: 'bea', verifiedBy: 'bea', verifiedAt: T2 },
      { status: 'draft' },
    ]);
  });
});

describe('applyToDeptGoal and editDeptGoalMetric', () => {
  const stored: DeptGoal = {
    id: 'dg1',
    cycleId: 'c1',
    departmentId: 'support',
    title: 'Resolve on first contact',
    orgGoalId: 'og1',
    businessObjectiveId: 'bo1',
    metric,
    weight: 1,
    progressSource: 'metric',
    ownerId: 'olga',
    verification: { status: 'draft' },
    verificationHistory: [],
  };

  it('updates the state and appends the history without touching the input', () => {
    const r1 = applyToDeptGoal(stored, { type: 'submit', by: 'sam', at: T1 }, { departments });
    if (!r1.ok) throw new Error(r1.error.message);
    const r2 = applyToDeptGoal(r1.goal, { type: 'verify', by: 'bea', at: T2 }, { departments });
    if (!r2.ok) throw new Error(r2.error.message);
    expect(r2.goal.verification).toEqual({
      status: 'verified',
      verifierId: 'bea',
      verifiedBy: 'bea',
      verifiedAt: T2,
    });
    expect(r2.goal.verificationHistory).toEqual([submitted, verified]);
    expect(stored.verificationHistory).toEqual([]);
    expect(stored.verification).toEqual({ status: 'draft' });
  });

  it('returns the typed error unchanged', () => {
    const r = applyToDeptGoal(stored, { type: 'verify', by: 'bea', at: T1 }, { departments });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('illegal-transition');
  });

  it('a new target on a verified goal sends it back to draft; a new reading does not', () => {
    const verifiedGoal: DeptGoal = {
      ...stored,
      verification: { status: 'verified', verifierId: 'bea', verifiedBy: 'bea', verifiedAt: T2 },
      verificationHistory: [submitted, verified],
    };
    const withReading = {
      ...metric,
      readings: [{ id: 'r1', value: 63, at: T3, recordedAt: T3, by: 'dan' }],
    };
    const a = editDeptGoalMetric(verifiedGoal, withReading, 'dan', T3, { departments });
    expect(a.ok && a.goal.verification.status).toBe('verified');
    expect(a.ok && a.goal.metric).toEqual(withReading);
    const b = editDeptGoalMetric(verifiedGoal, { ...metric, target: 70 }, 'dan', T3, { departments });
    expect(b.ok && b.goal.verification).toEqual({ status: 'draft' });
    expect(b.ok && b.goal.verificationHistory.at(-1)).toEqual({
      type: 'returned-to-draft',
      by: 'dan',
      at: T3,
      why: 'metric-edited',
    });
  });

  it.each([
    [{ name: 'x' }, true],
    [{ unit: 'pts' }, true],
    [{ direction: 'decrease' as const }, true],
    [{ baseline: 1 }, true],
    [{ target: 1 }, true],
    [{ due: '2028-01-01' }, true],
    [{ readings: [{ id: 'r', value: 1, at: T1, recordedAt: T1, by: 'dan' }] }, false],
    [{}, false],
  ])('metricDefinitionChanged(%o) is %s', (change, expected) => {
    expect(metricDefinitionChanged(metric, { ...metric, ...change })).toBe(expected);
  });

  it('removing or adding a metric counts as a change', () => {
    expect(metricDefinitionChanged(metric, undefined)).toBe(true);
    expect(metricDefinitionChanged(undefined, metric)).toBe(true);
    expect(metricDefinitionChanged(undefined, undefined)).toBe(false);
  });
});

describe('verification machine: properties over random command sequences', () => {
  const actors = ['sam', 'dan', 'bea', 'olga', 'ceo'];
  const arbCommand: fc.Arbitrary<VerificationCommand> = fc.oneof(
    fc.record({ type: fc.constant('submit' as const), by: fc.constantFrom(...actors), at: fc.constant(T1) }),
    fc.record({ type: fc.constant('verify' as const), by: fc.constantFrom(...actors), at: fc.constant(T2) }),
    fc.record({
      type: fc.constant('reject' as const),
      by: fc.constantFrom(...actors),
      at: fc.constant(T2),
      reason: fc.constantFrom('', ' ', 'Too vague'),
    }),
    fc.record({
      type: fc.constant('withdraw' as const),
      by: fc.constantFrom(...actors),
      at: fc.constant(T3),
    }),
    fc.record({
      type: fc.constant('edit-metric' as const),
      by: fc.constantFrom(...actors),
      at: fc.constant(T3),
    }),
  );
  const start: DeptGoal = {
    id: 'dg1',
    cycleId: 'c1',
    departmentId: 'support',
    title: 'Resolve on first contact',
    orgGoalId: 'og1',
    businessObjectiveId: 'bo1',
    metric,
    weight: 1,
    progressSource: 'metric',
    ownerId: 'olga',
    verification: { status: 'draft' },
    verificationHistory: [],
  };

  it('the stored state always equals the replayed history, and every verdict obeys who-may-verify', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(arbCommand, { maxLength: 25 }), (commands) => {
        let g = start;
        for (const c of commands) {
          const r = applyToDeptGoal(g, c, { departments });
          if (!r.ok) {
            expect(r.error.message.length).toBeGreaterThan(10);
            continue;
          }
          const before = g.verification;
          g = r.goal;
          for (const e of r.events) {
            seen.add(e.type);
            if (e.type === 'verified' || e.type === 'rejected') {
              // Only the recorded up-line manager (bea) — never dan (department manager), olga (owner) or the submitter.
              expect(before.status).toBe('submitted');
              if (before.status === 'submitted') {
                expect(e.by).toBe(before.verifierId);
                expect(e.by).not.toBe(before.submittedBy);
              }
              expect(['dan', 'olga']).not.toContain(e.by);
            }
            if (e.type === 'rejected') expect(e.reason.trim()).not.toBe('');
          }
        }
        expect(replay(g.verificationHistory)).toEqual(g.verification);
      }),
      { numRuns: 500 },
    );
    // The sequences reach every kind of event, so the checks above were exercised.
    expect([...seen].sort()).toEqual(['rejected', 'returned-to-draft', 'submitted', 'verified']);
  });
});
