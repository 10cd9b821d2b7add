import { describe, expect, it } from 'vitest';
import type { DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import { verificationAccounts } from './verification-accounts';

const departments: Department[] = [
  { id: 'exec', name: 'Executive', managerId: 'bea' },
  { id: 'sales', name: 'Sales', managerId: 'dan', parentId: 'exec' },
];
const names: Record<string, string> = { bea: 'Bea', dan: 'Dan', olga: 'Olga', sam: 'Sam' };
const nameOf = (id: string): string => names[id] ?? id;
const goal = (
  over: Partial<DeptGoal>,
): Pick<DeptGoal, 'departmentId' | 'ownerId' | 'verification' | 'verificationHistory'> => ({
  departmentId: 'sales',
  ownerId: 'olga',
  verification: { status: 'draft' },
  verificationHistory: [],
  ...over,
});
const T = '2026-11-23T10:00:00.000Z';

describe('the accounts mirrored for the workflow expressions', () => {
  it.each([
    [
      'a draft: its department manager and owner only',
      goal({}),
      {
        departmentManager: { accountId: 'dan', displayName: 'Dan' },
        owner: { accountId: 'olga', displayName: 'Olga' },
      },
    ],
    [
      'a submitted goal: the recorded verifier and who submitted it too',
      goal({
        verification: { status: 'submitted', submittedBy: 'sam', submittedAt: T, verifierId: 'bea' },
        verificationHistory: [{ type: 'submitted', by: 'sam', at: T, verifierId: 'bea' }],
      }),
      {
        verifier: { accountId: 'bea', displayName: 'Bea' },
        departmentManager: { accountId: 'dan', displayName: 'Dan' },
        owner: { accountId: 'olga', displayName: 'Olga' },
        submitter: { accountId: 'sam', displayName: 'Sam' },
      },
    ],
    [
      'a verified goal: the submitter from its history',
      goal({
        ownerId: undefined,
        verification: { status: 'verified', verifierId: 'bea', verifiedBy: 'bea', verifiedAt: T },
        verificationHistory: [
          { type: 'submitted', by: 'sam', at: T, verifierId: 'bea' },
          { type: 'verified', by: 'bea', at: T },
        ],
      }),
      {
        verifier: { accountId: 'bea', displayName: 'Bea' },
        departmentManager: { accountId: 'dan', displayName: 'Dan' },
        submitter: { accountId: 'sam', displayName: 'Sam' },
      },
    ],
  ])('given %s, then the mirror names exactly those accounts', (_given, stored, expected) => {
    expect(verificationAccounts(stored, departments, nameOf)).toEqual(expected);
  });
});
