import { TEAM_KIND_SCHEMAS } from '@cxplan/core';
import type * as v from 'valibot';

/**
 * Each workspace collection's Dexie table and the core schema that every row written to or read from it is
 * parsed with: the team workspace's kinds (one list, in the core) but the two singletons, which the workspace keeps
 * in its meta table. One map, so the storage service handles every entity the same way.
 */
const { organisation: _organisation, settings: _settings, ...collections } = TEAM_KIND_SCHEMAS;
export const COLLECTION_SCHEMAS = collections;

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
