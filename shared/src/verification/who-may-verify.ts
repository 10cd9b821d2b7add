import type { Department } from '../model/organisation';

/**
 * The facts the "who may verify" rule looks at. Ids are opaque: the extension passes person ids, the Jira app
 * passes Atlassian account ids — the rule is the same.
 */
export interface VerifyFacts {
  /** Who is trying to verify (or reject) the goal. */
  actorId: string;
  /** The up-line manager recorded when the goal was submitted; undefined when it is not awaiting verification. */
  recordedVerifierId: string | undefined;
  /** The manager of the goal's own department (as it is now). */
  departmentManagerId: string | undefined;
  /** The goal's owner, if any. */
  ownerId: string | undefined;
  /** Who submitted the goal for verification. */
  submittedBy: string | undefined;
}

/** Turns an id into a display name for messages; the default shows the id itself. */
export type NameOf = (id: string) => string;

/** One named clause of the "who may verify" rule: a predicate that must hold, and the message when it doesn't. */
export interface VerifyClause {
  /** Stable identifier, shared with the Jira side (e.g. to label a Jira expression or a test case). */
  id: 'is-recorded-up-line-manager' | 'not-department-manager' | 'not-owner' | 'not-submitter';
  /** The clause in plain words. */
  description: string;
  /** True when the clause allows the actor. */
  holds: (f: VerifyFacts) => boolean;
  /** Why the actor is refused when the clause does not hold. */
  message: (f: VerifyFacts, nameOf: NameOf) => string;
}

/** The identifier of a clause of the "who may verify" rule. */
export type VerifyClauseId = VerifyClause['id'];

/**
 * The "who may verify" rule as data: every clause must hold. Order matters only for which message is shown
 * first. Kept as a table so the Jira app can derive its workflow condition from it and test the same cases.
 */
export const WHO_MAY_VERIFY_CLAUSES: readonly VerifyClause[] = [
  {
    id: 'is-recorded-up-line-manager',
    description: 'The actor is the up-line manager recorded when the goal was submitted.',
    holds: (f) => f.recordedVerifierId !== undefined && f.actorId === f.recordedVerifierId,
    message: (f, nameOf) =>
      f.recordedVerifierId === undefined
        ? 'This goal has not been submitted for verification, so nobody can verify it yet'
        : `Only the up-line manager recorded at submission (${nameOf(f.recordedVerifierId)}) may verify this goal`,
  },
  {
    id: 'not-department-manager',
    description: "The actor is not the manager of the goal's own department.",
    holds: (f) => f.departmentManagerId === undefined || f.actorId !== f.departmentManagerId,
    message: (f, nameOf) =>
      `${nameOf(f.actorId)} manages the goal's own department and so may not verify its goals`,
  },
  {
    id: 'not-owner',
    description: 'The actor does not own the goal.',
    holds: (f) => f.ownerId === undefined || f.actorId !== f.ownerId,
    message: (f, nameOf) => `${nameOf(f.actorId)} owns this goal, and nobody verifies their own goal`,
  },
  {
    id: 'not-submitter',
    description: 'The actor did not submit the goal.',
    holds: (f) => f.submittedBy === undefined || f.actorId !== f.submittedBy,
    message: (f, nameOf) =>
      `${nameOf(f.actorId)} submitted this goal, and nobody verifies a goal they submitted`,
  },
];

/** The outcome of the "who may verify" rule: allowed, or refused with every failing clause and the first message. */
export type VerifyDecision =
  | { allowed: true }
  | { allowed: false; failed: VerifyClauseId[]; message: string };

/**
 * The one "who may verify" rule (extension and Jira app both call it): the recorded up-line manager may verify
 * or reject a submitted goal, but never the goal's own department manager, its owner, or whoever submitted it.
 */
export function whoMayVerify(facts: VerifyFacts, nameOf: NameOf = (id) => id): VerifyDecision {
  const failing = WHO_MAY_VERIFY_CLAUSES.filter((c) => !c.holds(facts));
  const first = failing[0];
  if (first === undefined) return { allowed: true };
  return { allowed: false, failed: failing.map((c) => c.id), message: first.message(facts, nameOf) };
}

/** A golden case of the "who may verify" rule, shared by the core's and the Jira app's tests. */
export interface WhoMayVerifyCase {
  name: string;
  facts: VerifyFacts;
  /** `true`, or the ids of every clause that fails (in table order). */
  expected: true | VerifyClauseId[];
}

const base = {
  recordedVerifierId: 'bea',
  departmentManagerId: 'dan',
  ownerId: 'olga',
  submittedBy: 'sam',
} as const;

/** Golden cases for {@link whoMayVerify}; the Jira app's workflow condition must agree with every one. */
export const WHO_MAY_VERIFY_CASES: readonly WhoMayVerifyCase[] = [
  { name: 'the recorded up-line manager may verify', facts: { ...base, actorId: 'bea' }, expected: true },
  {
    name: 'the recorded up-line manager may verify a goal with no owner',
    facts: { ...base, ownerId: undefined, actorId: 'bea' },
    expected: true,
  },
  {
    name: 'someone else may not, even a senior manager',
    facts: { ...base, actorId: 'ceo' },
    expected: ['is-recorded-up-line-manager'],
  },
  {
    name: "the goal's own department manager may not",
    facts: { ...base, actorId: 'dan' },
    expected: ['is-recorded-up-line-manager', 'not-department-manager'],
  },
  {
    name: 'the department manager may not, even if recorded as up-line manager (department changed after submission)',
    facts: { ...base, departmentManagerId: 'bea', actorId: 'bea' },
    expected: ['not-department-manager'],
  },
  {
    name: 'the owner may not verify their own goal, even if recorded as up-line manager',
    facts: { ...base, ownerId: 'bea', actorId: 'bea' },
    expected: ['not-owner'],
  },
  {
    name: 'whoever submitted may not verify it, even if recorded as up-line manager',
    facts: { ...base, submittedBy: 'bea', actorId: 'bea' },
    expected: ['not-submitter'],
  },
  {
    name: 'the submitter who is also the owner fails both clauses',
    facts: { ...base, ownerId: 'sam', actorId: 'sam' },
    expected: ['is-recorded-up-line-manager', 'not-owner', 'not-submitter'],
  },
  {
    name: 'nobody may verify a goal that is not awaiting verification',
    facts: { ...base, recordedVerifierId: undefined, actorId: 'bea' },
    expected: ['is-recorded-up-line-manager'],
  },
  {
    name: 'a department without a manager does not block the recorded up-line manager',
    facts: { ...base, departmentManagerId: undefined, actorId: 'bea' },
    expected: true,
  },
];

/** Why no up-line manager could be resolved for a department. */
export type UpLineError =
  | { code: 'no-up-line-manager'; departmentId: string; message: string }
  | { code: 'up-line-is-own-manager'; departmentId: string; managerId: string; message: string }
  | { code: 'unknown-parent-department'; departmentId: string; parentId: string; message: string };

/** The up-line manager of a department, and where it came from. */
export type UpLineResult =
  | { ok: true; managerId: string; via: 'explicit' | 'parent'; fromDepartmentId: string }
  | { ok: false; error: UpLineError };

/**
 * Resolves who verifies a department's goals: its explicit `upLineManagerId`, else the manager of the nearest
 * ancestor department that has one (a parent without a manager is skipped, as a team without a lead reports
 * further up). Refuses when that would be the department's own manager, who may never verify their own goals.
 */
export function resolveUpLineManager(
  department: Department,
  departments: readonly Department[],
  nameOf: NameOf = (id) => id,
): UpLineResult {
  const own = department.managerId;
  const refuseOwn = (managerId: string): UpLineResult => ({
    ok: false,
    error: {
      code: 'up-line-is-own-manager',
      departmentId: department.id,
      managerId,
      message: `The up-line manager of ${department.name} would be ${nameOf(managerId)}, who manages ${department.name} itself; set a different up-line manager`,
    },
  });
  if (department.upLineManagerId !== undefined) {
    if (department.upLineManagerId === own) return refuseOwn(own);
    return {
      ok: true,
      managerId: department.upLineManagerId,
      via: 'explicit',
      fromDepartmentId: department.id,
    };
  }
  const byId = new Map(departments.map((d) => [d.id, d]));
  const seen = new Set<string>([department.id]);
  let parentId = department.parentId;
  while (parentId !== undefined && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = byId.get(parentId);
    if (parent === undefined) {
      return {
        ok: false,
        error: {
          code: 'unknown-parent-department',
          departmentId: department.id,
          parentId,
          message: `${department.name} names a parent department "${parentId}" that does not exist`,
        },
      };
    }
    if (parent.managerId !== undefined) {
      if (parent.managerId === own) return refuseOwn(own);
      return { ok: true, managerId: parent.managerId, via: 'parent', fromDepartmentId: parent.id };
    }
    parentId = parent.parentId;
  }
  return {
    ok: false,
    error: {
      code: 'no-up-line-manager',
      departmentId: department.id,
      message: `${department.name} has no up-line manager: set one, or give it a parent department with a manager`,
    },
  };
}
