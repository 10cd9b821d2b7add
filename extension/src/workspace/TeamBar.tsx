import type { JSX } from 'preact';
import { markNoticesSeen } from '../team-sync/sync-status';
import { useWorkspace } from './workspace-context';

/**
 * Who is using this browser, when it is connected to a team: the team's word (from Jira), not a choice, with where
 * the replica stands (changes waiting, last caught up, the first sync's progress, a refused connection).
 */
export function TeamBadge(): JSX.Element | null {
  const { team } = useWorkspace();
  if (!team.connected) return null;
  const { member, workspaceName, broken, phase } = team.connection;
  const state = broken
    ? `Not syncing: ${broken.message}`
    : phase === 'confirm-upload'
      ? 'Waiting for you to confirm the upload (Options)'
      : team.firstSync
        ? `First sync: ${team.firstSync.received} of ${team.firstSync.total} team clips`
        : team.waiting > 0
          ? `${team.waiting} change${team.waiting === 1 ? '' : 's'} waiting to send`
          : team.caughtUpAt
            ? 'Up to date with the team'
            : 'Syncing…';
  return (
    <span class="team-badge" data-broken={broken ? 'yes' : 'no'}>
      <strong>{member.name}</strong> · {member.role}
      {member.admin ? ', admin' : ''} · {workspaceName}
      <span class={broken ? 'team-state error' : 'team-state'} role="status">
        {state}
      </span>
    </span>
  );
}

/**
 * Changes the team did not take as the person made them: refused (the rights rule says who may), or superseded by
 * someone's newer edit of the same field. Never silent: each stays until the person has read it, with what they had
 * entered.
 */
export function TeamNotices(): JSX.Element | null {
  const { team, data, reload } = useWorkspace();
  if (!team.connected || team.notices.length === 0) return null;
  return (
    <section class="team-notices" role="alert" aria-labelledby="team-notices-title">
      <h2 id="team-notices-title">
        {team.notices.length === 1
          ? 'One of your changes was not taken as you made it'
          : `${team.notices.length} of your changes were not taken as you made them`}
      </h2>
      <ul>
        {team.notices.slice(0, 5).map((n) => (
          <li key={n.id} data-outcome={n.outcome}>
            <strong>{n.label}</strong>: {n.message}
            {n.yours && (
              <details>
                <summary>What you had entered</summary>
                <pre>{JSON.stringify(n.yours, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ul>
      {team.notices.length > 5 && <p>… and {team.notices.length - 5} more (Options).</p>}
      <button
        type="button"
        onClick={async () => {
          await markNoticesSeen(data.storage.db);
          await reload();
        }}
      >
        I have read these
      </button>
    </section>
  );
}
