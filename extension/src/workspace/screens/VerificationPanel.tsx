import { applyToDeptGoal, type DeptGoal, type VerificationCommand } from '@cxplan/core';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Notice } from '../ui';
import { personName, useWorkspace } from '../workspace-context';

/**
 * A department goal's verification: its state and history, and Submit / Withdraw / Verify / Reject as the person this
 * browser acts as. Every command goes through the core's decide/evolve (`applyToDeptGoal`); a refusal shows the
 * core's sentence and changes nothing.
 */
export function VerificationPanel({ goal }: { goal: DeptGoal }): JSX.Element {
  const { data, snap, actingAs, reload, team } = useWorkspace();
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const name = (id: string | undefined): string => personName(snap, id);

  const run = async (type: VerificationCommand['type']): Promise<void> => {
    if (team.connected && (type === 'submit' || type === 'withdraw')) {
      // In a team the Jira app decides (and records who the up-line manager is); the answer comes back by sync.
      await data.requestVerification(goal.id, type);
      setNotice({
        kind: 'ok',
        text: `${type === 'submit' ? 'Submission' : 'Withdrawal'} sent to the team; it shows here once the Jira app has recorded it.`,
      });
      await reload();
      return;
    }
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
  return (
    <section class="verification" aria-labelledby="verif-title">
      <h3 id="verif-title">Verification of “{goal.title}”</h3>
      <p>
        State: <strong class={`status-${v.status}`}>{v.status}</strong>
        {v.status === 'submitted' &&
          ` — waiting for ${name(v.verifierId)} since ${v.submittedAt.slice(0, 10)}`}
        {v.status === 'verified' && ` by ${name(v.verifiedBy)} on ${v.verifiedAt.slice(0, 10)}`}
        {v.status === 'rejected' && ` by ${name(v.rejectedBy)}: “${v.reason}”`}
      </p>
      <div class="actions-row">
        <button type="button" onClick={() => void run('submit')}>
          Submit for verification
        </button>
        {v.status === 'submitted' && (
          <button type="button" onClick={() => void run('withdraw')}>
            Withdraw the submission
          </button>
        )}
        {!team.connected && (
          <>
            <button type="button" onClick={() => void run('verify')}>
              Verify
            </button>
            <label>
              Reason for rejecting <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <button type="button" onClick={() => void run('reject')}>
              Reject
            </button>
          </>
        )}
      </div>
      {team.connected && (
        <p class="muted" role="note">
          In the team, the up-line manager verifies or rejects this goal in Jira, with the epic's Verify or
          Reject transition; the verdict shows here once it is recorded.
        </p>
      )}
      <Notice notice={notice} />
      <h4>History</h4>
      {goal.verificationHistory.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ol class="history">
          {goal.verificationHistory.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              {e.at.replace('T', ' ').slice(0, 16)} — <strong>{e.type}</strong> by {name(e.by)}
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
