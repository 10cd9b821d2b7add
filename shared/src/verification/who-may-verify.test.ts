import { describe, expect, it } from 'vitest';
import type { Department } from '../model/organisation';
import {
  resolveUpLineManager,
  WHO_MAY_VERIFY_CASES,
  WHO_MAY_VERIFY_CLAUSES,
  whoMayVerify,
} from './who-may-verify';

describe('whoMayVerify: golden cases', () => {
  it.each(WHO_MAY_VERIFY_CASES)('$name', ({ facts, expected }) => {
    const d = whoMayVerify(facts);
    if (expected === true) expect(d).toEqual({ allowed: true });
    else expect(d.allowed === false && d.failed).toEqual(expected);
  });

  it('every clause is exercised by a golden case that fails it', () => {
    const failed = new Set(WHO_MAY_VERIFY_CASES.flatMap((c) => (c.expected === true ? [] : c.expected)));
    expect([...failed].sort()).toEqual(WHO_MAY_VERIFY_CLAUSES.map((c) => c.id).sort());
  });

  it('the message names the recorded up-line manager', () => {
    const d = whoMayVerify(
      {
        actorId: 'x',
        recordedVerifierId: 'bea',
        departmentManagerId: 'dan',
        ownerId: undefined,
        submittedBy: 's',
      },
      (id) => (id === 'bea' ? 'Bea Boss' : id),
    );
    expect(d).toEqual({
      allowed: false,
      failed: ['is-recorded-up-line-manager'],
      message: 'Only the up-line manager recorded at submission (Bea Boss) may verify this goal',
    });
  });
});

describe('resolveUpLineManager', () => {
  const chart: Department[] = [
    { id: 'exec', name: 'Executive', managerId: 'ceo' },
    { id: 'ops', name: 'Operations', parentId: 'exec' },
    { id: 'support', name: 'Support', managerId: 'dan', parentId: 'ops' },
    { id: 'sales', name: 'Sales', managerId: 'sal', parentId: 'exec', upLineManagerId: 'vp' },
    { id: 'lab', name: 'Lab', managerId: 'lou' },
    { id: 'self', name: 'Self', managerId: 'ceo', parentId: 'exec' },
    { id: 'odd', name: 'Odd', managerId: 'o', upLineManagerId: 'o' },
    { id: 'orphan', name: 'Orphan', parentId: 'gone' },
    { id: 'loop-a', name: 'Loop A', parentId: 'loop-b' },
    { id: 'loop-b', name: 'Loop B', parentId: 'loop-a' },
  ];
  const get = (id: string): Department => {
    const d = chart.find((x) => x.id === id);
    if (d === undefined) throw new Error(id);
    return d;
  };

  it.each([
    ['sales', { ok: true, managerId: 'vp', via: 'explicit', fromDepartmentId: 'sales' }],
    ['support', { ok: true, managerId: 'ceo', via: 'parent', fromDepartmentId: 'exec' }],
    ['ops', { ok: true, managerId: 'ceo', via: 'parent', fromDepartmentId: 'exec' }],
  ])('%s resolves', (id, expected) => {
    expect(resolveUpLineManager(get(id), chart)).toEqual(expected);
  });

  it.each([
    [
      'lab',
      'no-up-line-manager',
      'Lab has no up-line manager: set one, or give it a parent department with a manager',
    ],
    [
      'exec',
      'no-up-line-manager',
      'Executive has no up-line manager: set one, or give it a parent department with a manager',
    ],
    [
      'loop-a',
      'no-up-line-manager',
      'Loop A has no up-line manager: set one, or give it a parent department with a manager',
    ],
    [
      'self',
      'up-line-is-own-manager',
      'The up-line manager of Self would be CEO, who manages Self itself; set a different up-line manager',
    ],
    [
      'odd',
      'up-line-is-own-manager',
      'The up-line manager of Odd would be o, who manages Odd itself; set a different up-line manager',
    ],
    ['orphan', 'unknown-parent-department', 'Orphan names a parent department "gone" that does not exist'],
  ])('%s is refused with %s', (id, code, message) => {
    const r = resolveUpLineManager(get(id), chart, (p) => (p === 'ceo' ? 'CEO' : p));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toBe(message);
    }
  });
});
