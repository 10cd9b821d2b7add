import { type FieldPatch, type OpResult, TEAM_KIND_LABELS, type TeamKind } from '@cxplan/core';

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
  type: 'put' | 'delete' | 'submit' | 'withdraw';
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

/** A short label for an entity in a notice. */
export function entityLabel(kind: TeamKind, body: Readonly<Record<string, unknown>> | undefined): string {
  const text = body?.title ?? body?.name ?? body?.statement ?? body?.text;
  const words = typeof text === 'string' ? text.slice(0, 60) + (text.length > 60 ? '…' : '') : '';
  return words === '' ? `a ${TEAM_KIND_LABELS[kind]}` : `${TEAM_KIND_LABELS[kind]} “${words}”`;
}

/** The notice a push result gives, if it is one the person must see. */
export function noticeOf(op: PendingOp, result: OpResult, label: string, at: number): SyncNotice | undefined {
  const base = {
    id: op.opId,
    at,
    kind: op.kind,
    entityId: op.id,
    label,
    seen: 0 as const,
    ...(op.fields && { yours: op.fields }),
  };
  switch (result.status) {
    case 'refused':
      return { ...base, outcome: 'refused', message: result.message };
    case 'superseded':
      return { ...base, outcome: 'superseded', message: result.message };
    case 'applied':
      return result.superseded && result.superseded.length > 0
        ? {
            ...base,
            outcome: 'partly-applied',
            message: result.message ?? 'Part of your change was not applied.',
          }
        : undefined;
    case 'duplicate':
      return undefined;
  }
}
