import { type OpResult, SINGLETON_KINDS, TEAM_KIND_LABELS, type TeamKind } from '@cxplan/core';
import type { PendingOp, SyncNotice } from '../storage/sync-rows';

/** A short label for an entity in a notice. */
export function entityLabel(kind: TeamKind, body: Readonly<Record<string, unknown>> | undefined): string {
  const text = body?.title ?? body?.name ?? body?.statement ?? body?.text;
  const words = typeof text === 'string' ? text.slice(0, 60) + (text.length > 60 ? '…' : '') : '';
  if (words !== '') return `${TEAM_KIND_LABELS[kind]} “${words}”`;
  return `${SINGLETON_KINDS.has(kind) ? 'the' : 'a'} ${TEAM_KIND_LABELS[kind]}`;
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
