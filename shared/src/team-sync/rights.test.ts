import { describe, expect, it } from 'vitest';
import type { Department } from '../model/organisation';
import { type Actor, actorFor, type Change, JIRA_APP_PERSON_ID, may, type RightsView } from './rights';

const departments: Department[] = [
  { id: 'exec', name: 'Executive', managerId: 'lee' },
  { id: 'ops', name: 'Operations', managerId: 'hana', parentId: 'exec' },
  { id: 'support', name: 'Support', managerId: 'dan', parentId: 'ops' },
  { id: 'sales', name: 'Sales', managerId: 'sol' },
];
const view: RightsView = {
  departments,
  goalDepartment: (goalId) => ({ g_support: 'support', g_sales: 'sales' })[goalId],
  capturerOf: (id) => ({ clip_sam: 'sam' })[id],
};
const person = (personId: string, role: Actor['role'] = 'staff', admin = false): Actor => ({
  personId,
  name: personId,
  role,
  admin,
});
const sam = person('sam');
const dan = person('dan', 'manager');
const hana = person('hana', 'manager');
const sol = person('sol', 'manager');
const lee = person('lee', 'executive');
const ada = person('ada', 'staff', true);
const olga = person('olga');

const goal = { id: 'g_support', departmentId: 'support', ownerId: 'olga' };
const action = { id: 'a1', deptGoalId: 'g_support', ownerId: 'olga', status: 'todo' };

interface Spec {
  name: string;
  given: Actor;
  when: Change;
  expected: true | RegExp;
}

const specs: Spec[] = [
  {
    name: 'staff add a clip',
    given: sam,
    when: { kind: 'evidence', id: 'c9', type: 'create', after: {}, fields: ['text'] },
    expected: true,
  },
  {
    name: "staff tag a colleague's clip",
    given: olga,
    when: {
      kind: 'evidence',
      id: 'clip_sam',
      type: 'update',
      before: {},
      after: {},
      fields: ['eventId', 'sentiment'],
    },
    expected: true,
  },
  {
    name: "staff may not rewrite a colleague's clip text",
    given: olga,
    when: { kind: 'evidence', id: 'clip_sam', type: 'update', before: {}, after: {}, fields: ['text'] },
    expected: /only the person who captured it/,
  },
  {
    name: 'the capturer edits their own clip text',
    given: sam,
    when: { kind: 'evidence', id: 'clip_sam', type: 'update', before: {}, after: {}, fields: ['text'] },
    expected: true,
  },
  {
    name: "staff may not delete a colleague's clip",
    given: olga,
    when: { kind: 'evidence', id: 'clip_sam', type: 'delete', before: {}, fields: [] },
    expected: /Only the person who captured a clip/,
  },
  {
    name: 'an admin deletes any clip',
    given: ada,
    when: { kind: 'evidence', id: 'clip_sam', type: 'delete', before: {}, fields: [] },
    expected: true,
  },
  {
    name: 'staff may not edit an organisation goal',
    given: sam,
    when: { kind: 'orgGoals', id: 'og', type: 'update', before: {}, after: {}, fields: ['title'] },
    expected: /Only a leader may set or change an organisation goal/,
  },
  {
    name: 'a leader sets an organisation goal',
    given: lee,
    when: { kind: 'orgGoals', id: 'og', type: 'create', after: {}, fields: ['title'] },
    expected: true,
  },
  {
    name: "a department head writes their department's goal",
    given: dan,
    when: {
      kind: 'deptGoals',
      id: 'g_support',
      type: 'update',
      before: goal,
      after: goal,
      fields: ['title'],
    },
    expected: true,
  },
  {
    name: "the head of a department above writes a sub-department's goal",
    given: hana,
    when: {
      kind: 'deptGoals',
      id: 'g_support',
      type: 'update',
      before: goal,
      after: goal,
      fields: ['title'],
    },
    expected: true,
  },
  {
    name: "another department's head may not",
    given: sol,
    when: {
      kind: 'deptGoals',
      id: 'g_support',
      type: 'update',
      before: goal,
      after: goal,
      fields: ['title'],
    },
    expected: /Only the head of the Support department/,
  },
  {
    name: 'moving a goal to a department one does not head is refused',
    given: dan,
    when: {
      kind: 'deptGoals',
      id: 'g_support',
      type: 'update',
      before: goal,
      after: { ...goal, departmentId: 'sales' },
      fields: ['departmentId'],
    },
    expected: /Only the head of/,
  },
  {
    name: "a goal's owner checks in",
    given: olga,
    when: {
      kind: 'deptGoals',
      id: 'g_support',
      type: 'update',
      before: goal,
      after: goal,
      fields: ['metric.readings'],
    },
    expected: true,
  },
  {
    name: 'an action owner moves its status',
    given: olga,
    when: {
      kind: 'actions',
      id: 'a1',
      type: 'update',
      before: action,
      after: { ...action, status: 'done' },
      fields: ['status'],
    },
    expected: true,
  },
  {
    name: 'an action owner may not re-plan it',
    given: olga,
    when: { kind: 'actions', id: 'a1', type: 'update', before: action, after: action, fields: ['due'] },
    expected: /may plan its actions; an action's owner may update its status/,
  },
  {
    name: 'an action under a goal the store does not have is refused',
    given: dan,
    when: { kind: 'actions', id: 'a2', type: 'create', after: { deptGoalId: 'nope' }, fields: ['title'] },
    expected: /names a department goal the team workspace does not have/,
  },
  {
    name: 'staff may not change the framework',
    given: sam,
    when: { kind: 'events', id: 'e1', type: 'update', before: {}, after: {}, fields: ['name'] },
    expected: /Only an admin of the team workspace may change the customer framework \(customer events\)/,
  },
  {
    name: 'a leader who is not an admin may not change the framework either',
    given: lee,
    when: { kind: 'touchpoints', id: 't1', type: 'create', after: {}, fields: ['name'] },
    expected: /Only an admin of the team workspace may change the customer framework \(touchpoints\)/,
  },
  {
    name: 'a leader who is not an admin may not change the people',
    given: lee,
    when: { kind: 'people', id: 'p9', type: 'create', after: {}, fields: ['name'] },
    expected: /Only an admin of the team workspace may change the people of the team/,
  },
  {
    name: 'an admin changes the framework',
    given: ada,
    when: { kind: 'stages', id: 's1', type: 'create', after: {}, fields: ['name'] },
    expected: true,
  },
  {
    name: 'a leader starts a cycle',
    given: lee,
    when: { kind: 'cycles', id: 'c2', type: 'create', after: {}, fields: ['name'] },
    expected: true,
  },
  {
    name: 'staff acknowledge the plan for themselves',
    given: sam,
    when: {
      kind: 'sessions',
      id: 's',
      type: 'update',
      before: { acknowledgements: [{ personId: 'olga', at: 'x' }] },
      after: {
        acknowledgements: [
          { personId: 'olga', at: 'x' },
          { personId: 'sam', at: 'y' },
        ],
      },
      fields: ['acknowledgements'],
    },
    expected: true,
  },
  {
    name: 'staff may not acknowledge for someone else',
    given: sam,
    when: {
      kind: 'sessions',
      id: 's',
      type: 'update',
      before: { acknowledgements: [] },
      after: { acknowledgements: [{ personId: 'olga', at: 'y' }] },
      fields: ['acknowledgements'],
    },
    expected: /for themselves only/,
  },
];

describe('who may change what in the team workspace (one rule, given/when/then)', () => {
  for (const spec of specs) {
    it(spec.name, () => {
      const result = may(spec.given, spec.when, view);
      if (spec.expected === true) expect(result).toEqual({ ok: true });
      else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).toMatch(spec.expected);
      }
    });
  }
});

describe('actorFor', () => {
  const people = [{ id: 'dan', name: 'Dan Head', role: 'manager' as const, admin: true }];
  it.each([
    ['a listed person', 'dan', { personId: 'dan', name: 'Dan Head', role: 'manager', admin: true }],
    ['a paired person not listed yet', 'zoe', { personId: 'zoe', name: 'zoe', role: 'staff', admin: false }],
    ['the Jira app', JIRA_APP_PERSON_ID, { personId: 'jira', name: 'Jira', role: 'staff', admin: false }],
  ])('given %s, names them and gives their role', (_given, id, expected) => {
    expect(actorFor(id, people)).toEqual(expected);
  });
});
