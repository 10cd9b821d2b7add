import type { FieldPatch, TeamKind } from '@cxplan/core';

/**
 * What the replica keeps in IndexedDB besides the workspace rows. Each synced row carries `_v`, the team version
 * it is based on (absent: never in the team workspace); the core schemas drop it on every read, so it never leaves
 * storage through a backup or an export.
 */

/** The field on a stored row holding the team version it is based on. */
export const VERSION_FIELD = '_v';

/** A change made in this browser, waiting to be pushed (one per entity while it waits: later edits fold in). */
export interface PendingOp {
  /** Local order (auto-increment): operations are pushed in the order they were made. */
  seq?: number;
  /** Unique id; the store remembers it, so a retried push is a duplicate. */
  opId: string;
  kind: TeamKind;
  id: string;
  /** The team version the change was made on (0: a new entity). */
  baseVersion: number;
  type: 'put' | 'delete';
  fields?: FieldPatch;
  createdAt: number;
  /** `sending` from the moment a push carrying it starts until its answer is recorded. */
  status: 'pending' | 'sending';
  attempts: number;
  lastError?: string;
}

/** Something the person should know about a change they made: it was refused, or someone else's change won. */
export interface SyncNotice {
  id: string;
  at: number;
  kind: TeamKind;
  entityId: string;
  /** What the entity is called (a title, a name, a clip's first words), for the sentence. */
  label: string;
  outcome: 'refused' | 'superseded' | 'partly-applied';
  message: string;
  /** The values the person had set (so nothing they typed is lost even when the team kept other values). */
  yours?: FieldPatch;
  /** 0 until the person has seen it (a number: IndexedDB cannot index booleans). */
  seen: 0 | 1;
}

/** The Dexie tables of the replica (added in schema v4). */
export const SYNC_SCHEMA = {
  syncOps: '++seq, &opId, [kind+id], status',
  syncNotices: 'id, at, seen',
} as const;
