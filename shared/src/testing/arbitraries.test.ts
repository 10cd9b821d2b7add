import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../io/parse';
import { findDanglingReferences } from '../model/references';
import { WorkspaceSchema } from '../model/workspace';
import { arbWorkspace } from './arbitraries';

describe('arbWorkspace', () => {
  it('makes valid, referentially consistent workspaces already in parsed form', () => {
    fc.assert(
      fc.property(arbWorkspace, (ws) => {
        const r = parseWith(WorkspaceSchema, ws);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toStrictEqual(ws);
        expect(findDanglingReferences(ws)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('makes non-trivial workspaces (not only empty ones)', () => {
    const samples = fc.sample(arbWorkspace, { numRuns: 100, seed: 42 });
    expect(samples.some((w) => w.deptGoals.length > 0 && w.actions.length > 0 && w.orgGoals.length > 0)).toBe(
      true,
    );
  });
});
