import {
  ActionSchema,
  ContributionSchema,
  CustomerEventSchema,
  CycleSchema,
  DepartmentSchema,
  DeptGoalSchema,
  OrgGoalSchema,
  PersonSchema,
  SessionSchema,
  StageSchema,
  TouchpointSchema,
} from '@cxplan/core';
import type * as v from 'valibot';
import { EvidenceRowSchema } from './evidence-row';

/**
 * Each workspace collection's Dexie table and the core schema that every row written to or read from it is
 * parsed with. One map, so the storage service handles every entity the same way.
 */
export const COLLECTION_SCHEMAS = {
  evidence: EvidenceRowSchema,
  stages: StageSchema,
  events: CustomerEventSchema,
  touchpoints: TouchpointSchema,
  departments: DepartmentSchema,
  people: PersonSchema,
  cycles: CycleSchema,
  orgGoals: OrgGoalSchema,
  deptGoals: DeptGoalSchema,
  actions: ActionSchema,
  sessions: SessionSchema,
  contributions: ContributionSchema,
} as const;

/** The name of a workspace collection (and its Dexie table). */
export type CollectionName = keyof typeof COLLECTION_SCHEMAS;
/** The row type of a workspace collection. */
export type RowOf<C extends CollectionName> = v.InferOutput<(typeof COLLECTION_SCHEMAS)[C]>;

/** Singular labels for error messages ("stage", "department goal"). */
export const COLLECTION_LABELS: Record<CollectionName, string> = {
  evidence: 'evidence',
  stages: 'stage',
  events: 'customer event',
  touchpoints: 'touchpoint',
  departments: 'department',
  people: 'person',
  cycles: 'cycle',
  orgGoals: 'organisation goal',
  deptGoals: 'department goal',
  actions: 'action',
  sessions: 'session',
  contributions: 'contribution',
};
