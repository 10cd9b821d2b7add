import type { DeptGoal } from '../model/goals';
import type { Department } from '../model/organisation';
import type { VerificationEvent, VerificationState } from '../model/verification-state';
import {
  type NameOf,
  resolveUpLineManager,
  type UpLineError,
  type VerifyClauseId,
  whoMayVerify,
} from './who-may-verify';

/** Something a person asks of a department goal's verification. `by` is a person id, `at` an ISO date-time. */
export type VerificationCommand =
  | { type: 'submit'; by: string; at: string }
  | { type: 'verify'; by: string; at: string; note?: string }
  | { type: 'reject'; by: string; at: string; reason: string }
  | { type: 'withdraw'; by: string; at: string }
  /** The goal's metric definition was changed (not a reading added): a submitted or verified goal needs re-verifying. */
  | { type: 'edit-metric'; by: string; at: string };

/** The kind of a verification command. */
export type VerificationCommandType = VerificationCommand['type'];

/** What submission needs that a department goal may still lack. */
export type MissingPart = 'organisation goal' | 'business objective' | 'metric';

/** Why a verification command was refused; `message` is a sentence fit to show the user. */
export type VerificationError =
  | { code: 'incomplete-goal'; missing: MissingPart[]; message: string }
  | {
      code: 'illegal-transition';
      from: VerificationState['status'];
      command: VerificationCommandType;
      message: string;
    }
  | { code: 'not-allowed-to-verify'; failed: VerifyClauseId[]; message: string }
  | { code: 'reason-required'; message: string }
  | { code: 'unknown-department'; departmentId: string; message: string }
  | { code: 'nobody-could-verify'; message: string }
  | { code: 'not-allowed-to-withdraw'; message: string }
  | UpLineError;

/** What `decide` sees besides the state: the goal's own fields and the organisation chart. */
export interface VerificationContext {
  goal: Pick<DeptGoal, 'departmentId' | 'orgGoalId' | 'businessObjectiveId' | 'metric' | 'ownerId'>;
  departments: readonly Department[];
  /** Display names for messages; defaults to showing ids. */
  nameOf?: NameOf;
}

/** The outcome of `decide`: the events to append, or a typed error. */
export type DecideResult =
  | { ok: true; events: VerificationEvent[] }
  | { ok: false; error: VerificationError };

/** The state of a goal with no verification history. */
export const INITIAL_VERIFICATION_STATE: VerificationState = { status: 'draft' };

const STATUS_WORDS: Record<VerificationState['status'], string> = {
  draft: 'a draft',
  submitted: 'awaiting verification',
  verified: 'already verified',
  rejected: 'rejected',
};

function illegal(
  state: VerificationState,
  command: VerificationCommandType,
  message: string,
): { ok: false; error: VerificationError } {
  return { ok: false, error: { code: 'illegal-transition', from: state.status, command, message } };
}

const ok = (...events: VerificationEvent[]): DecideResult => ({ ok: true, events });

/**
 * Decides what happens when a command meets a goal's verification state: the events to record, or a typed
 * error saying why not. Pure: the same state, command and context always give the same answer.
 */
export function decide(
  state: VerificationState,
  command: VerificationCommand,
  context: VerificationContext,
): DecideResult {
  const nameOf = context.nameOf ?? ((id: string) => id);
  switch (command.type) {
    case 'submit':
      return decideSubmit(state, command, context, nameOf);
    case 'verify':
    case 'reject':
      return decideVerdict(state, command, context, nameOf);
    case 'withdraw': {
      if (state.status !== 'submitted') {
        return illegal(
          state,
          'withdraw',
          `Only a goal awaiting verification can be withdrawn; this one is ${STATUS_WORDS[state.status]}`,
        );
      }
      const managerId = context.departments.find((d) => d.id === context.goal.departmentId)?.managerId;
      const may = [state.submittedBy, context.goal.ownerId, managerId].includes(command.by);
      if (!may) {
        return {
          ok: false,
          error: {
            code: 'not-allowed-to-withdraw',
            message: `Only whoever submitted the goal (${nameOf(state.submittedBy)}), its owner or its department's manager may withdraw it`,
          },
        };
      }
      return ok({ type: 'returned-to-draft', by: command.by, at: command.at, why: 'withdrawn' });
    }
    case 'edit-metric':
      // Editing a draft or a rejected goal is ordinary rework; only a goal someone is checking (or has
      // checked) must go back, so the verifier never signs off a metric they did not see.
      if (state.status === 'submitted' || state.status === 'verified') {
        return ok({ type: 'returned-to-draft', by: command.by, at: command.at, why: 'metric-edited' });
      }
      return ok();
  }
}

/** The parts submission requires that the goal lacks, in a fixed order. */
export function missingForSubmission(goal: VerificationContext['goal']): MissingPart[] {
  const missing: MissingPart[] = [];
  if (goal.orgGoalId === undefined) missing.push('organisation goal');
  if (goal.businessObjectiveId === undefined) missing.push('business objective');
  if (goal.metric === undefined) missing.push('metric');
  return missing;
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const withArticle = (part: MissingPart): string => (part.startsWith('o') ? `an ${part}` : `a ${part}`);

function decideSubmit(
  state: VerificationState,
  command: Extract<VerificationCommand, { type: 'submit' }>,
  context: VerificationContext,
  nameOf: NameOf,
): DecideResult {
  if (state.status === 'submitted') {
    return illegal(
      state,
      'submit',
      `This goal is already submitted and awaits verification by ${nameOf(state.verifierId)}`,
    );
  }
  if (state.status === 'verified') {
    return illegal(state, 'submit', 'This goal is already verified; there is nothing to submit');
  }
  const missing = missingForSubmission(context.goal);
  if (missing.length > 0) {
    return {
      ok: false,
      error: {
        code: 'incomplete-goal',
        missing,
        message: `This goal cannot be submitted yet: it needs ${listInWords(missing.map(withArticle))}`,
      },
    };
  }
  const department = context.departments.find((d) => d.id === context.goal.departmentId);
  if (department === undefined) {
    return {
      ok: false,
      error: {
        code: 'unknown-department',
        departmentId: context.goal.departmentId,
        message: `This goal belongs to a department "${context.goal.departmentId}" that does not exist`,
      },
    };
  }
  const upLine = resolveUpLineManager(department, context.departments, nameOf);
  if (!upLine.ok) return { ok: false, error: upLine.error };
  const verifierId = upLine.managerId;
  // Refuse now rather than leave a goal waiting on someone the rule will never let verify it.
  if (command.by === verifierId || context.goal.ownerId === verifierId) {
    const who = command.by === verifierId ? 'submits' : 'owns';
    return {
      ok: false,
      error: {
        code: 'nobody-could-verify',
        message: `${nameOf(verifierId)} ${who} this goal and is also the up-line manager who would verify it; nobody verifies their own goal, so set a different up-line manager for ${department.name}`,
      },
    };
  }
  return ok({ type: 'submitted', by: command.by, at: command.at, verifierId });
}

function decideVerdict(
  state: VerificationState,
  command: Extract<VerificationCommand, { type: 'verify' | 'reject' }>,
  context: VerificationContext,
  nameOf: NameOf,
): DecideResult {
  const verb = command.type === 'verify' ? 'verified' : 'rejected';
  if (state.status === 'draft') {
    return illegal(
      state,
      command.type,
      `This goal is a draft: it must be submitted before it can be ${verb}`,
    );
  }
  if (state.status === 'verified') {
    return illegal(state, command.type, 'This goal is already verified');
  }
  if (state.status === 'rejected') {
    return illegal(
      state,
      command.type,
      'This goal was rejected: it must be edited and submitted again before it can be verified or rejected',
    );
  }
  const managerId = context.departments.find((d) => d.id === context.goal.departmentId)?.managerId;
  const decision = whoMayVerify(
    {
      actorId: command.by,
      recordedVerifierId: state.verifierId,
      departmentManagerId: managerId,
      ownerId: context.goal.ownerId,
      submittedBy: state.submittedBy,
    },
    nameOf,
  );
  if (!decision.allowed) {
    return {
      ok: false,
      error: { code: 'not-allowed-to-verify', failed: decision.failed, message: decision.message },
    };
  }
  if (command.type === 'verify') {
    const note = command.note?.trim();
    return ok({
      type: 'verified',
      by: command.by,
      at: command.at,
      ...(note === undefined || note === '' ? {} : { note }),
    });
  }
  const reason = command.reason.trim();
  if (reason === '') {
    return {
      ok: false,
      error: { code: 'reason-required', message: 'A reason is required to reject a goal' },
    };
  }
  return ok({ type: 'rejected', by: command.by, at: command.at, reason });
}

/**
 * Applies one recorded event to a verification state. Total: it trusts `decide` to have checked the move, and
 * keeps the recorded verifier when a verdict follows a submission.
 */
export function evolve(state: VerificationState, event: VerificationEvent): VerificationState {
  switch (event.type) {
    case 'submitted':
      return {
        status: 'submitted',
        submittedBy: event.by,
        submittedAt: event.at,
        verifierId: event.verifierId,
      };
    case 'verified':
      return {
        status: 'verified',
        verifierId: 'verifierId' in state ? state.verifierId : event.by,
        verifiedBy: event.by,
        verifiedAt: event.at,
        ...(event.note === undefined ? {} : { note: event.note }),
      };
    case 'rejected':
      return {
        status: 'rejected',
        verifierId: 'verifierId' in state ? state.verifierId : event.by,
        rejectedBy: event.by,
        rejectedAt: event.at,
        reason: event.reason,
      };
    case 'returned-to-draft':
      return { status: 'draft' };
  }
}

/** Rebuilds a verification state from its history. */
export function replay(
  events: readonly VerificationEvent[],
  from: VerificationState = INITIAL_VERIFICATION_STATE,
): VerificationState {
  return events.reduce(evolve, from);
}
