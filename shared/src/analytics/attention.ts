import type { PlanWorkspace } from '../model/index';
import type { Finding } from './plan-checks';
import { daysWaitingForVerification } from './plan-checks';
import type { ProgressStatus } from './progress';
import type { RollUp } from './roll-up';
import { DAY_MS, endOfDayMs, toMs } from './time';

/**
 * One thing that needs a person now, most urgent kinds first. Each names the entity it is about, so the screen can
 * link to where it is fixed.
 */
export type AttentionItem =
  | {
      kind: 'verify';
      goalId: string;
      title: string;
      department: string;
      submittedBy: string;
      /** Whole days since submission. */
      daysWaiting: number;
      /** Longer than the workspace allows (settings.verificationOverdueDays, default 14). */
      overdue: boolean;
    }
  | { kind: 'rejected'; goalId: string; title: string; rejectedBy: string; reason: string }
  | {
      kind: 'action';
      actionId: string;
      title: string;
      ownerId: string | undefined;
      due: string | undefined;
      /** Overdue: its due day has passed; due-soon: due within `dueSoonDays`; else behind or at risk. */
      state: 'overdue' | 'due-soon' | 'behind' | 'at-risk';
    }
  | { kind: 'check'; finding: Finding };

/** The kind of an attention item. */
export type AttentionKind = AttentionItem['kind'];

/** Options of {@link whatNeedsAttention}. */
export interface AttentionOptions {
  /** The person asking; undefined means "nobody chosen", and everything open in the cycle is listed. */
  personId: string | undefined;
  /** ISO now. */
  now: string;
  /** The cycle's roll-up (the caller computed it for the same `now`). */
  roll: RollUp;
  /** Plan-check findings, when they have been computed (they read the evidence); only critical ones are listed. */
  findings?: readonly Finding[];
  /** An open action due within this many days counts as due soon (default 7). */
  dueSoonDays?: number;
}

const ACTION_ORDER = { overdue: 0, 'at-risk': 1, behind: 2, 'due-soon': 3 } as const;

/**
 * What needs a person now, in this order: goals waiting for their verification (longest wait first), their goals
 * that were rejected (to fix and submit again), their open actions that are overdue, at risk, behind or due soon
 * (most urgent first, then by due date), and the plan's critical checks. With nobody chosen it lists every such
 * item of the cycle, so a browser used alone still shows what is open.
 *
 * An action's "behind"/"at risk" comes from the roll-up, the same figure the Progress screen shows; a done or
 * dropped action never appears.
 */
export function whatNeedsAttention(ws: PlanWorkspace, options: AttentionOptions): AttentionItem[] {
  const { personId, roll } = options;
  const nowMs = toMs(options.now);
  const dueSoonMs = (options.dueSoonDays ?? 7) * DAY_MS;
  const overdueDays = ws.settings.verificationOverdueDays ?? 14;
  const mine = (id: string | undefined): boolean => personId === undefined || id === personId;
  const deptName = new Map(ws.departments.map((d) => [d.id, d.name]));

  const verify: AttentionItem[] = [];
  const rejected: AttentionItem[] = [];
  for (const g of ws.deptGoals) {
    if (g.cycleId !== roll.cycleId) continue;
    const v = g.verification;
    if (v.status === 'submitted' && mine(v.verifierId)) {
      const days = Math.floor(daysWaitingForVerification(v, nowMs) ?? 0);
      verify.push({
        kind: 'verify',
        goalId: g.id,
        title: g.title,
        department: deptName.get(g.departmentId) ?? g.departmentId,
        submittedBy: v.submittedBy,
        daysWaiting: Math.max(0, days),
        overdue: days > overdueDays,
      });
    } else if (v.status === 'rejected' && (personId === undefined || g.ownerId === personId)) {
      rejected.push({
        kind: 'rejected',
        goalId: g.id,
        title: g.title,
        rejectedBy: v.rejectedBy,
        reason: v.reason,
      });
    }
  }
  verify.sort((a, b) => (a.kind === 'verify' && b.kind === 'verify' ? b.daysWaiting - a.daysWaiting : 0));

  const actions: Extract<AttentionItem, { kind: 'action' }>[] = [];
  for (const a of ws.actions) {
    if (a.cycleId !== roll.cycleId || a.status === 'done' || a.status === 'dropped' || !mine(a.ownerId))
      continue;
    const node = roll.actions.get(a.id);
    const dueEnd = a.due === undefined ? undefined : endOfDayMs(a.due);
    let state: Extract<AttentionItem, { kind: 'action' }>['state'] | undefined;
    if (dueEnd !== undefined && nowMs > dueEnd) state = 'overdue';
    else if (node?.status === 'at-risk' || node?.status === 'behind') state = node.status;
    else if (dueEnd !== undefined && dueEnd - nowMs <= dueSoonMs) state = 'due-soon';
    if (state === undefined) continue;
    actions.push({ kind: 'action', actionId: a.id, title: a.title, ownerId: a.ownerId, due: a.due, state });
  }
  actions.sort(
    (a, b) =>
      ACTION_ORDER[a.state] - ACTION_ORDER[b.state] || (a.due ?? '9999').localeCompare(b.due ?? '9999'),
  );

  const checks: AttentionItem[] = (options.findings ?? [])
    .filter((f) => f.severity === 'critical')
    .map((finding) => ({ kind: 'check', finding }));
  return [...verify, ...rejected, ...actions, ...checks];
}

/** A goal's standing at a glance: counts of organisation and department goals per status. */
export function statusCounts(roll: RollUp): Record<ProgressStatus, number> {
  const counts: Record<ProgressStatus, number> = { 'on-track': 0, behind: 0, 'at-risk': 0 };
  for (const node of roll.deptGoals.values()) counts[node.status] += 1;
  return counts;
}
