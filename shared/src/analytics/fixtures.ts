/**
 * Builders of small, valid workspaces for the analytics tests (test-only; not exported from the package).
 * Everything goes through `WorkspaceSchema`, so defaults are filled in exactly as a restore would.
 */
import * as v from 'valibot';
import {
  type Action,
  type DeptGoal,
  type Evidence,
  emptyWorkspace,
  type OrgGoal,
  type SuccessMetric,
  type Workspace,
  WorkspaceSchema,
} from '../model/index';

type Loose<T> = { [K in keyof T]?: unknown };

/** A workspace with one active cycle `c1` (2026), one business objective `bo1` and the given parts. */
export function workspace(parts: Partial<{ [K in keyof Workspace]: unknown }> = {}): Workspace {
  const base = emptyWorkspace('Acme');
  return v.parse(WorkspaceSchema, {
    ...base,
    organisation: { name: 'Acme', businessObjectives: [{ id: 'bo1', name: 'Grow recurring revenue' }] },
    cycles: [{ id: 'c1', name: 'FY2026', start: '2026-01-01', end: '2026-12-31', status: 'active' }],
    settings: { verificationOverdueDays: 14, currentCycleId: 'c1' },
    ...parts,
  });
}

/** A piece of customer evidence. */
export function evidence(id: string, fields: Loose<Evidence> = {}): Loose<Evidence> {
  return {
    id,
    text: `Feedback ${id}`,
    sourceKind: 'customer',
    origin: { capturedBy: 'Tester', capturedAt: '2026-05-01T10:00:00Z' },
    ...fields,
  };
}

/** A success metric, increasing 0 → 100 by the end of 2026 unless overridden. */
export function metric(fields: Partial<SuccessMetric> = {}): SuccessMetric {
  return {
    name: 'Score',
    unit: '%',
    direction: 'increase',
    baseline: 0,
    target: 100,
    due: '2026-12-31',
    readings: [],
    ...fields,
  };
}

/** A reading of a metric. */
export function reading(id: string, value: number, at: string): SuccessMetric['readings'][number] {
  return { id, value, at, recordedAt: at, by: 'p1' };
}

/** An organisation goal of cycle c1. */
export function orgGoal(id: string, fields: Loose<OrgGoal> = {}): Loose<OrgGoal> {
  return { id, cycleId: 'c1', title: `Goal ${id}`, metric: metric(), evidenceIds: ['ev1'], ...fields };
}

/** A complete department goal of cycle c1 in department d1 under organisation goal og1. */
export function deptGoal(id: string, fields: Loose<DeptGoal> = {}): Loose<DeptGoal> {
  return {
    id,
    cycleId: 'c1',
    departmentId: 'd1',
    title: `Dept goal ${id}`,
    orgGoalId: 'og1',
    businessObjectiveId: 'bo1',
    metric: metric(),
    ...fields,
  };
}

/** A measurable, dated action of cycle c1 under department goal dg1, linked to event e1. */
export function action(id: string, fields: Loose<Action> = {}): Loose<Action> {
  return {
    id,
    cycleId: 'c1',
    deptGoalId: 'dg1',
    title: `Action ${id}`,
    due: '2026-09-30',
    doneCriterion: 'Shipped',
    eventIds: ['e1'],
    ...fields,
  };
}
