import { describe, expect, it } from 'vitest';
import { whatNeedsAttention } from './attention';
import { action, deptGoal, orgGoal, workspace } from './fixtures';
import type { Finding } from './plan-checks';
import { rollUp } from './roll-up';

/** A fixed clock: 2 July 2026, half way through the fixtures' cycle. */
const NOW = '2026-07-02T12:00:00Z';

const ws = workspace({
  departments: [{ id: 'd1', name: 'Support', managerId: 'head', upLineManagerId: 'ceo' }],
  people: [
    { id: 'ceo', name: 'Ines', role: 'executive' },
    { id: 'head', name: 'Sara', role: 'manager' },
    { id: 'staff', name: 'Tom', role: 'staff' },
  ],
  evidence: [],
  orgGoals: [orgGoal('og1')],
  deptGoals: [
    deptGoal('dg-old', {
      title: 'Waiting long',
      ownerId: 'head',
      verification: {
        status: 'submitted',
        submittedBy: 'head',
        submittedAt: '2026-06-01T09:00:00Z',
        verifierId: 'ceo',
      },
    }),
    deptGoal('dg-new', {
      title: 'Waiting a day',
      ownerId: 'head',
      verification: {
        status: 'submitted',
        submittedBy: 'head',
        submittedAt: '2026-07-01T09:00:00Z',
        verifierId: 'ceo',
      },
    }),
    deptGoal('dg-rej', {
      title: 'Sent back',
      ownerId: 'head',
      verification: {
        status: 'rejected',
        verifierId: 'ceo',
        rejectedBy: 'ceo',
        rejectedAt: '2026-06-20T09:00:00Z',
        reason: 'Baseline too old',
      },
    }),
  ],
  actions: [
    action('late', { title: 'Late', ownerId: 'staff', due: '2026-06-30' }),
    action('soon', { title: 'Soon', ownerId: 'staff', due: '2026-07-05', status: 'in-progress' }),
    action('far', { title: 'Far', ownerId: 'staff', due: '2026-12-01', status: 'in-progress' }),
    action('done', { title: 'Done late', ownerId: 'staff', due: '2026-06-01', status: 'done' }),
    action('other', { title: 'Someone else', ownerId: 'head', due: '2026-06-30' }),
  ],
});
const roll = rollUp(ws, { cycleId: 'c1', now: NOW });
const critical: Finding = {
  id: 'dept-goal-without-metric:x',
  rule: 'dept-goal-without-metric',
  severity: 'critical',
  message: 'No metric',
  entity: { kind: 'deptGoal', id: 'x' },
};
const warning: Finding = { ...critical, id: 'w', severity: 'warning' };

describe('whatNeedsAttention', () => {
  it('given the up-line manager, lists the goals waiting for them, longest wait first, with the overdue one marked', () => {
    const items = whatNeedsAttention(ws, { personId: 'ceo', now: NOW, roll });
    expect(items).toEqual([
      {
        kind: 'verify',
        goalId: 'dg-old',
        title: 'Waiting long',
        department: 'Support',
        submittedBy: 'head',
        daysWaiting: 31,
        overdue: true,
      },
      {
        kind: 'verify',
        goalId: 'dg-new',
        title: 'Waiting a day',
        department: 'Support',
        submittedBy: 'head',
        daysWaiting: 1,
        overdue: false,
      },
    ]);
  });

  it("given the goal's owner, lists the rejected goal to fix and their own late action, not the verifications", () => {
    const items = whatNeedsAttention(ws, { personId: 'head', now: NOW, roll });
    expect(items.map((i) => i.kind)).toEqual(['rejected', 'action']);
    expect(items[0]).toMatchObject({ goalId: 'dg-rej', reason: 'Baseline too old', rejectedBy: 'ceo' });
    expect(items[1]).toMatchObject({ actionId: 'other', state: 'overdue' });
  });

  it('given a staff member, lists open actions overdue first then due soon; done and far-off ones are left out', () => {
    const items = whatNeedsAttention(ws, { personId: 'staff', now: NOW, roll });
    expect(items).toEqual([
      {
        kind: 'action',
        actionId: 'late',
        title: 'Late',
        ownerId: 'staff',
        due: '2026-06-30',
        state: 'overdue',
      },
      {
        kind: 'action',
        actionId: 'soon',
        title: 'Soon',
        ownerId: 'staff',
        due: '2026-07-05',
        state: 'due-soon',
      },
    ]);
  });

  it('given nobody chosen, lists everything open in the cycle, and only the critical plan checks', () => {
    const items = whatNeedsAttention(ws, {
      personId: undefined,
      now: NOW,
      roll,
      findings: [warning, critical],
    });
    expect(items.map((i) => i.kind)).toEqual([
      'verify',
      'verify',
      'rejected',
      'action',
      'action',
      'action',
      'check',
    ]);
    expect(items.at(-1)).toEqual({ kind: 'check', finding: critical });
  });

  it('takes the due-soon window from its option: 160 days reaches the action due in December', () => {
    const far = (items: ReturnType<typeof whatNeedsAttention>) =>
      items.find((i) => i.kind === 'action' && i.actionId === 'far');
    expect(far(whatNeedsAttention(ws, { personId: 'staff', now: NOW, roll }))).toBeUndefined();
    expect(
      far(whatNeedsAttention(ws, { personId: 'staff', now: NOW, roll, dueSoonDays: 160 })),
    ).toMatchObject({
      state: 'due-soon',
    });
  });
});
