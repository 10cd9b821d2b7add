import {
  applyToDeptGoal,
  type DeptGoal,
  type VerificationCommand,
  type VerificationStep,
  verificationOptions,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { formatDay, formatMoment } from '../progress/dates';
import { Notice } from '../ui';
import { personName, useWorkspace } from '../workspace-context';

const STATE_WORDS = {
  draft: 'Draft',
  submitted: 'Submitted',
  verified: 'Verified',
  rejected: 'Rejected',
} as const;

const STEP_WORDS: Record<VerificationStep, string> = {
  submit: 'Submit',
  withdraw: 'Withdraw',
  verify: 'Verify',
  reject: 'Reject',
};

/**
 * A department goal's verification: its state and history. Working alone, only the steps the person this browser
 * acts as may take now are offered (the core's `verificationOptions`), the others explained in the core's words;
 * each runs through decide/evolve (`applyToDeptGoal`; a refusal shows the core's sentence and changes nothing). In a team every step is a transition of the goal's epic in Jira (so Jira's status
 * and the store never disagree, and only the up-line manager can verify): the panel shows the state and says so.
 */
export function VerificationPanel({ goal }: { goal: DeptGoal }): JSX.Element {
  const { data, snap, actingAs, reload, team } = useWorkspace();
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const name = (id: string | undefined): string => personName(snap, id);

  const run = async (type: VerificationCommand['type']): Promise<void> => {
    if (actingAs === undefined) {
      setNotice({ kind: 'error', text: 'Choose who you are (“Acting as”, at the top) first.' });
      return;
    }
    const at = new Date().toISOString();
    const command: VerificationCommand =
      type === 'reject'
        ? { type, by: actingAs, at, reason }
        : ({ type, by: actingAs, at } as VerificationCommand);
    const r = applyToDeptGoal(goal, command, { departments: snap.departments, nameOf: name });
    if (!r.ok) {
      setNotice({ kind: 'error', text: r.error.message });
      return;
    }
    const saved = await data.save('deptGoals', r.goal);
    if (!saved.ok) {
      setNotice({ kind: 'error', text: saved.errors.map((e) => e.message).join('; ') });
      return;
    }
    setReason('');
    setNotice({ kind: 'ok', text: `Recorded: ${r.events.map((e) => e.type).join(', ')}.` });
    await reload();
  };

  const v = goal.verification;
  const options =
    actingAs === undefined
      ? []
      : verificationOptions(goal, actingAs, new Date().toISOString(), {
          departments: snap.departments,
          nameOf: name,
        });
  const allowed = new Set(options.filter((o) => o.allowed).map((o) => o.step));
  const refused = options.flatMap((o) => (o.allowed ? [] : [o]));
  return (
    <section class="verification" aria-labelledby="verif-title">
      <h3 id="verif-title">Verification of “{goal.title}”</h3>
      <p>
        State: <strong class={`status-${v.status}`}>{STATE_WORDS[v.status]}</strong>
        {v.status === 'submitted' && ` — waiting for ${name(v.verifierId)} since ${formatDay(v.submittedAt)}`}
        {v.status === 'verified' && ` by ${name(v.verifiedBy)} on ${formatDay(v.verifiedAt)}`}
        {v.status === 'rejected' && ` by ${name(v.rejectedBy)}: “${v.reason}”`}
      </p>
      {team.connected ? (
        <p class="muted" role="note">
          In the team, this goal is submitted, withdrawn, verified and rejected in Jira, with its epic's
          workflow transitions (only the up-line manager can verify or reject); each step shows here once it
          is recorded.
        </p>
      ) : actingAs === undefined ? (
        <p class="muted" role="note">
          Choose who you are under “Acting as” (at the top) to see what you may do with this goal.
        </p>
      ) : (
        <>
          <div class="actions-row">
            {allowed.has('submit') && (
              <button type="button" onClick={() => void run('submit')}>
                Submit for verification
              </button>
            )}
            {allowed.has('withdraw') && (
              <button type="button" onClick={() => void run('withdraw')}>
                Withdraw the submission
              </button>
            )}
            {allowed.has('verify') && (
              <button type="button" onClick={() => void run('verify')}>
                Verify
              </button>
            )}
            {allowed.has('reject') && (
              <>
                <label>
                  Reason for rejecting{' '}
                  <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                </label>
                <button type="button" onClick={() => void run('reject')}>
                  Reject
                </button>
              </>
            )}
          </div>
          {/* What this person may not do here, in the core's words: nothing is offered that would be refused. */}
          {refused.length > 0 && (
            <ul class="why-not">
              {refused.map((o) => (
                <li key={o.step}>
                  <strong>{STEP_WORDS[o.step]}:</strong> {o.why}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <Notice notice={notice} />
      <h4>History</h4>
      {goal.verificationHistory.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ol class="history">
          {goal.verificationHistory.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              {formatMoment(e.at)} — <strong>{e.type}</strong> by {name(e.by)}
              {e.type === 'submitted' && ` (to ${name(e.verifierId)})`}
              {e.type === 'rejected' && `: “${e.reason}”`}
              {e.type === 'returned-to-draft' && ` (${e.why})`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
