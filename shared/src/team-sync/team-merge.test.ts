import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import { applyToDeptGoal } from '../verification/apply-to-goal';
import { diffBodies, flattenBody, sameValue } from './entity-fields';
import { isNewer, rebase } from './replica-rules';
import type { Actor, RightsView } from './rights';
import { type DecideContext, decideOp, type EntityState, type TeamOp } from './team-merge';
import type { TeamChange } from './team-protocol';

const departments: Department[] = [
  { id: 'exec', name: 'Executive', managerId: 'lee' },
  { id: 'support', name: 'Support', managerId: 'dan', parentId: 'exec', upLineManagerId: 'lee' },
];
const view: RightsView = { departments, goalDepartment: (id) => (id === 'g1' ? 'support' : undefined) };
const actor = (personId: string, role: Actor['role'] = 'manager'): Actor => ({
  personId,
  name: personId,
  role,
  admin: false,
});
const dan = actor('dan');
const olga = actor('olga', 'staff');
const ctx = (
  who: Actor,
  now = '2026-12-01T10:00:00Z',
  extra: Partial<DecideContext> = {},
): DecideContext => ({
  actor: who,
  view,
  now,
  departments,
  ...extra,
});

const metric = {
  name: 'FCR',
  unit: '%',
  direction: 'increase' as const,
  baseline: 60,
  target: 75,
  due: '2027-06-30',
  readings: [],
};
const action: Action = {
  id: 'a1',
  cycleId: 'c1',
  deptGoalId: 'g1',
  title: 'Train the desk',
  ownerId: 'olga',
  due: '2027-01-31',
  status: 'todo',
  weight: 1,
  evidenceIds: [],
  eventIds: [],
  touchpointIds: [],
  metric,
};
const goal: DeptGoal = {
  id: 'g1',
  cycleId: 'c1',
  departmentId: 'support',
  title: 'Solve it first time',
  orgGoalId: 'og1',
  businessObjectiveId: 'bo1',
  metric,
  weight: 1,
  progressSource: 'metric',
  ownerId: 'olga',
  verification: { status: 'draft' },
  verificationHistory: [],
};

/** Applies an op and returns the next state, failing the test when it was not applied. */
function mustApply(state: EntityState | undefined, op: TeamOp, c: DecideContext): EntityState {
  const d = decideOp(state, op, c);
  if (d.status !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(d)}`);
  return d.next;
}
const create = (kind: TeamOp['kind'], body: object, opId = 'create'): TeamOp => ({
  opId,
  kind,
  id: (body as { id: string }).id,
  baseVersion: 0,
  type: 'put',
  fields: diffBodies(kind, undefined, body as Record<string, unknown>),
});
const put = (
  kind: TeamOp['kind'],
  id: string,
  baseVersion: number,
  fields: Record<string, unknown>,
  opId: string,
): TeamOp => ({
  opId,
  kind,
  id,
  baseVersion,
  type: 'put',
  fields,
});

describe('merging a change into the team store (given / when / then)', () => {
  const v1 = mustApply(undefined, create('actions', action), ctx(dan));

  it('given a new action, when its department head creates it, then it is version 1 with no field stamps', () => {
    expect(v1).toMatchObject({ version: 1, deleted: false, stamps: {}, ops: ['create'], changedBy: 'dan' });
    expect(v1.body).toEqual(action);
  });

  it('given an action edited in Jira (status), when a replica that had not seen it sends its stale status, then Jira wins and the author is told', () => {
    const jira = mustApply(
      v1,
      put('actions', 'a1', 1, { status: 'in-progress' }, 'jira-1'),
      ctx(actor('jiraUser'), '2026-12-01T11:00:00Z', { trusted: true }),
    );
    const stale = decideOp(
      jira,
      put('actions', 'a1', 1, { status: 'done' }, 'olga-7'),
      ctx(olga, '2026-12-01T12:00:00Z'),
    );
    expect(stale).toMatchObject({
      status: 'superseded',
      superseded: [{ field: 'status', by: 'jiraUser', at: '2026-12-01T11:00:00Z' }],
    });
    if (stale.status === 'superseded')
      expect(stale.message).toMatch(/status.*was not applied: jiraUser changed it after you last saw it/);
  });

  it('given an edit in Jira of one field, when a stale replica changes another field, then both edits are kept', () => {
    const jira = mustApply(
      v1,
      put('actions', 'a1', 1, { title: 'Train the whole desk' }, 'jira-1'),
      ctx(actor('j'), undefined, { trusted: true }),
    );
    const next = mustApply(jira, put('actions', 'a1', 1, { due: '2027-02-28' }, 'dan-2'), ctx(dan));
    expect(next.body).toMatchObject({ title: 'Train the whole desk', due: '2027-02-28' });
    expect(next.version).toBe(3);
  });

  it('given a patch of two fields where one was changed since, then the other is applied and the first reported', () => {
    const other = mustApply(v1, put('actions', 'a1', 1, { title: 'B' }, 'x'), ctx(dan));
    const d = decideOp(other, put('actions', 'a1', 1, { title: 'C', due: '2027-03-01' }, 'y'), ctx(dan));
    expect(d.status).toBe('applied');
    if (d.status === 'applied') {
      expect(d.next.body).toMatchObject({ title: 'B', due: '2027-03-01' });
      expect(d.superseded.map((s) => s.field)).toEqual(['title']);
    }
  });

  it('given two check-ins made at once on different replicas, then both readings are kept, in any order', () => {
    const r = (id: string) => ({
      id,
      value: 70,
      at: '2026-12-01T09:00:00Z',
      recordedAt: '2026-12-01T09:00:00Z',
      by: 'olga',
    });
    const a = put('actions', 'a1', 1, { 'metric.readings': [r('r1')] }, 'a');
    const b = put('actions', 'a1', 1, { 'metric.readings': [r('r2')] }, 'b');
    const ab = mustApply(mustApply(v1, a, ctx(olga)), b, ctx(dan));
    const ba = mustApply(mustApply(v1, b, ctx(dan)), a, ctx(olga));
    const ids = (s: EntityState) => (s.body as Action).metric?.readings.map((x) => x.id).sort();
    expect(ids(ab)).toEqual(['r1', 'r2']);
    expect(ids(ba)).toEqual(['r1', 'r2']);
  });

  it('given an operation already applied, when the push is retried, then it is a duplicate and nothing changes', () => {
    const op = put('actions', 'a1', 1, { title: 'Again' }, 'retry-me');
    const once = mustApply(v1, op, ctx(dan));
    expect(decideOp(once, op, ctx(dan))).toEqual({ status: 'duplicate', version: 2 });
  });

  it('given staff, when they rewrite the plan of an action, then it is refused naming who may', () => {
    const d = decideOp(v1, put('actions', 'a1', 1, { due: '2028-01-01' }, 'o'), ctx(olga));
    expect(d).toMatchObject({ status: 'refused', code: 'forbidden' });
  });

  it('given an invalid value, then the operation is refused with the field named and nothing stored changes', () => {
    const d = decideOp(v1, put('actions', 'a1', 1, { due: 'tomorrow' }, 'bad'), ctx(dan));
    expect(d).toMatchObject({ status: 'refused', code: 'invalid' });
    if (d.status === 'refused') expect(d.errors?.[0]?.path).toBe('due');
  });

  it('given a replica that sends verification fields, then the store keeps its own (only Jira verifies)', () => {
    const g = mustApply(undefined, create('deptGoals', goal), ctx(dan));
    const d = decideOp(
      g,
      put(
        'deptGoals',
        'g1',
        1,
        {
          verification: {
            status: 'verified',
            verifierId: 'dan',
            verifiedBy: 'dan',
            verifiedAt: '2026-12-01T00:00:00Z',
          },
          title: 'T2',
        },
        'sneaky',
      ),
      ctx(dan),
    );
    expect(d.status).toBe('applied');
    if (d.status === 'applied') {
      expect((d.next.body as DeptGoal).verification).toEqual({ status: 'draft' });
      expect(d.changed).toEqual(['title']);
    }
  });

  it('given the Jira app itself (system), then it records the issue link a replica may never write', () => {
    const link = { issueKey: 'CX-7', issueId: '10007' };
    const byReplica = decideOp(v1, put('actions', 'a1', 1, { jira: link, title: 'T' }, 'r'), ctx(dan));
    expect(byReplica.status === 'applied' && byReplica.next.body.jira).toBe(undefined);
    const bySystem = decideOp(
      v1,
      put('actions', 'a1', 1, { jira: link }, 's'),
      ctx(actor('app'), undefined, { system: true }),
    );
    expect(bySystem.status === 'applied' && bySystem.next.body.jira).toEqual(link);
  });

  it('given a submitted goal, when its metric target changes, then it goes back to draft (the machine decides)', () => {
    const g = mustApply(undefined, create('deptGoals', goal), ctx(dan));
    // Submission is a Jira workflow transition: the app records what the core's machine decided, as the system.
    const step = applyToDeptGoal(
      goal,
      { type: 'submit', by: 'dan', at: '2026-12-01T09:00:00Z' },
      { departments },
    );
    if (!step.ok) throw new Error(step.error.message);
    const submitted = mustApply(
      g,
      put(
        'deptGoals',
        'g1',
        1,
        { verification: step.goal.verification, verificationHistory: step.goal.verificationHistory },
        's',
      ),
      ctx(actor('jira'), undefined, { system: true }),
    );
    expect((submitted.body as DeptGoal).verification).toMatchObject({
      status: 'submitted',
      verifierId: 'lee',
    });
    const edited = mustApply(submitted, put('deptGoals', 'g1', 2, { 'metric.target': 80 }, 'e'), ctx(dan));
    expect((edited.body as DeptGoal).verification).toEqual({ status: 'draft' });
    expect((edited.body as DeptGoal).verificationHistory.map((e) => e.type)).toEqual([
      'submitted',
      'returned-to-draft',
    ]);
  });

  it('given a draft goal, when a replica sends it as verified, then the verification stays as the store had it', () => {
    const g = mustApply(undefined, create('deptGoals', goal), ctx(actor('lee')));
    const forged = {
      verification: { status: 'verified', verifiedBy: 'lee', verifiedAt: '2026-12-01T10:00:00Z' },
      title: 'Solved first time',
    };
    const next = mustApply(g, put('deptGoals', 'g1', 1, forged, 'f'), ctx(dan));
    expect((next.body as DeptGoal).verification).toEqual({ status: 'draft' });
    expect((next.body as DeptGoal).title).toBe('Solved first time');
  });

  it('given a deleted action, when a stale edit arrives, then it is refused as gone and says who deleted it', () => {
    const deleted = mustApply(
      v1,
      { opId: 'd', kind: 'actions', id: 'a1', baseVersion: 1, type: 'delete' },
      ctx(dan),
    );
    expect(deleted).toMatchObject({ deleted: true, version: 2 });
    expect(decideOp(deleted, put('actions', 'a1', 1, { status: 'done' }, 'late'), ctx(olga))).toMatchObject({
      status: 'refused',
      code: 'gone',
    });
  });

  it('given a delete made on an old version, then it is superseded (someone changed it since)', () => {
    const edited = mustApply(v1, put('actions', 'a1', 1, { title: 'X' }, 'x'), ctx(dan));
    expect(
      decideOp(edited, { opId: 'd', kind: 'actions', id: 'a1', baseVersion: 1, type: 'delete' }, ctx(dan)),
    ).toMatchObject({ status: 'superseded' });
  });

  it("given a clip, then who captured it is the device's person, whatever the body says", () => {
    const clip = {
      id: 'c1',
      text: 'Slow refund',
      sourceKind: 'customer',
      drivers: [],
      origin: {
        capturedBy: 'Somebody Else',
        capturedById: 'forged',
        capturedAt: '2026-11-30T10:00:00Z',
        via: 'clip',
      },
    };
    const s = mustApply(undefined, create('evidence', clip), ctx(olga));
    expect(s.body.origin).toMatchObject({ capturedBy: 'olga', capturedById: 'olga' });
    const tagged = mustApply(
      s,
      put(
        'evidence',
        'c1',
        1,
        { origin: { ...clip.origin, capturedBy: 'Mallory', capturedById: 'mallory' } },
        't',
      ),
      ctx(olga),
    );
    expect(tagged.body.origin).toMatchObject({ capturedBy: 'olga', capturedById: 'olga' });
  });
});

// ---- Properties -------------------------------------------------------------------------------------------------

const FIELDS = ['title', 'description', 'due', 'status', 'doneCriterion'] as const;
const valueFor = (field: (typeof FIELDS)[number], n: number): unknown =>
  ({
    title: `Title ${n}`,
    description: `Description ${n}`,
    due: `2028-0${1 + (n % 9)}-1${n % 10}`,
    // never the base action's values, so every edit changes something
    status: (['in-progress', 'done', 'dropped'] as const)[n % 3],
    doneCriterion: `Done when ${n}`,
  })[field];

/** An edit by one person on version 1: some fields set, maybe a check-in. */
const arbEdit = fc.record({
  fields: fc.subarray([...FIELDS], { minLength: 1 }),
  n: fc.nat(50),
  reading: fc.boolean(),
});

describe('properties of the merge', () => {
  const base = mustApply(undefined, create('actions', action), ctx(dan));

  it('nothing is silently lost: each field an op sets is, right after it, the op’s value or reported superseded; every check-in is kept', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbEdit, fc.nat(3)), { minLength: 1, maxLength: 8 }), (edits) => {
        let state = base;
        edits.forEach(([edit, lag], i) => {
          const fields: Record<string, unknown> = {};
          for (const f of edit.fields) fields[f] = valueFor(f, edit.n + i);
          if (edit.reading)
            fields['metric.readings'] = [
              {
                id: `r${i}`,
                value: i,
                at: '2026-12-01T09:00:00Z',
                recordedAt: '2026-12-01T09:00:00Z',
                by: 'dan',
              },
            ];
          // Made on a version the author saw some time ago (up to 3 versions behind).
          const seen = Math.max(1, state.version - lag);
          const d = decideOp(
            state,
            put('actions', 'a1', seen, fields, `op${i}`),
            ctx(dan, `2026-12-01T10:00:0${i % 10}Z`),
          );
          expect(d.status === 'applied' || d.status === 'superseded' || d.status === 'duplicate').toBe(true);
          const reported = new Set(
            d.status === 'applied' || d.status === 'superseded' ? d.superseded.map((x) => x.field) : [],
          );
          const after = d.status === 'applied' ? d.next : state;
          const flat = flattenBody('actions', after.body);
          for (const [field, value] of Object.entries(fields)) {
            if (field === 'metric.readings') continue;
            expect(reported.has(field) || sameValue(flat[field], value)).toBe(true);
            // Reported only when someone changed it after the author's version.
            if (reported.has(field)) expect(state.stamps[field]?.[0] ?? 1).toBeGreaterThan(seen);
          }
          state = after;
        });
        const readings = (state.body as Action).metric?.readings.map((r) => r.id).sort() ?? [];
        expect(readings).toEqual(edits.flatMap(([e], i) => (e.reading ? [`r${i}`] : [])).sort());
      }),
    );
  });

  it('edits of disjoint fields made on the same version commute: any order gives the same body', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...FIELDS], { minLength: 2 }), fc.nat(20), (fields, n) => {
        const ops = fields.map((f, i) => put('actions', 'a1', 1, { [f]: valueFor(f, n + i) }, `d${i}`));
        const run = (order: TeamOp[]) => order.reduce((s, op) => mustApply(s, op, ctx(dan)), base);
        const forward = run(ops);
        const backward = run([...ops].reverse());
        expect(forward.body).toEqual(backward.body);
        expect(forward.version).toBe(1 + ops.length);
      }),
    );
  });

  it('a replica that applies the feed in any order, with repeats, ends in the store’s state', () => {
    fc.assert(
      fc.property(
        fc.array(arbEdit, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (edits, shuffle) => {
          // The store's history of one entity, as the feed would serve it (one change per version).
          let state = base;
          const feed: TeamChange[] = [
            {
              kind: 'actions',
              id: 'a1',
              version: 1,
              deleted: false,
              body: base.body,
              changedAt: base.changedAt,
            },
          ];
          edits.forEach((edit, i) => {
            const fields: Record<string, unknown> = {};
            for (const f of edit.fields) fields[f] = valueFor(f, edit.n + i);
            const d = decideOp(state, put('actions', 'a1', state.version, fields, `e${i}`), ctx(dan));
            if (d.status !== 'applied') return;
            state = d.next;
            feed.push({
              kind: 'actions',
              id: 'a1',
              version: state.version,
              deleted: false,
              body: state.body,
              changedAt: state.changedAt,
            });
          });
          // Deliver in a shuffled order with repeats.
          const delivered = [...feed, ...shuffle.map((k) => feed[k % feed.length] as TeamChange)];
          for (let i = delivered.length - 1; i > 0; i--) {
            const j = (shuffle[i % Math.max(shuffle.length, 1)] ?? i) % (i + 1);
            [delivered[i], delivered[j]] = [delivered[j] as TeamChange, delivered[i] as TeamChange];
          }
          let local: { version: number; body: Record<string, unknown> | undefined } | undefined;
          for (const change of delivered)
            if (isNewer(local?.version, change)) local = { version: change.version, body: change.body };
          expect(local?.version).toBe(state.version);
          expect(local?.body).toEqual(state.body);
        },
      ),
    );
  });

  it("a replica's pending change shown on top of the team's state equals the state after the store applies it (no conflict)", () => {
    fc.assert(
      fc.property(arbEdit, (edit) => {
        const fields: Record<string, unknown> = {};
        for (const f of edit.fields) fields[f] = valueFor(f, edit.n);
        const shown = rebase('actions', base.body, [fields]);
        expect(shown).toEqual(mustApply(base, put('actions', 'a1', 1, fields, 'p'), ctx(dan)).body);
      }),
    );
  });
});
