import { type AttentionItem, resolveCycle, rollUp, statusCounts, whatNeedsAttention } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatDay } from '../progress/dates';
import { ProgressBar, pct, sourceWords } from '../progress/ProgressBar';
import { FIX_SCREEN, personName, useWorkspace, useWorkspaceWithEvidence } from '../workspace-context';
import type { WorkspaceSnapshot } from '../workspace-data';
import './home.css';

const ACTION_WORDS = {
  overdue: 'overdue',
  'at-risk': 'at risk',
  behind: 'behind',
  'due-soon': 'due soon',
} as const;

/**
 * Home: what needs this person now (goals waiting for their verification, their rejected goals, their actions
 * overdue, at risk or due soon, the plan's critical checks, clips to tag) and the goals at a glance, each a link
 * to where it is handled. The lists come from the core (`whatNeedsAttention`, `rollUp`, `planChecks`).
 */
export function HomeScreen(): JSX.Element {
  const { ws, snap, cycleId, now, actingAs, findings, team } = useWorkspace();
  // Asks for the evidence the plan checks read; the findings arrive through the context.
  useWorkspaceWithEvidence();
  const roll = useMemo(
    () => (cycleId === undefined ? undefined : rollUp(ws, { cycleId, now })),
    [ws, cycleId, now],
  );
  const items = useMemo(
    () =>
      roll === undefined
        ? []
        : whatNeedsAttention(ws, { personId: actingAs, now, roll, ...(findings ? { findings } : {}) }),
    [ws, actingAs, now, roll, findings],
  );
  const cycle = resolveCycle(ws, cycleId);
  if (cycle === undefined || roll === undefined) {
    return (
      <p>
        There is no planning cycle yet. Start one under <a href="#cycles">Cycles</a>, then set goals in the{' '}
        <a href="#strategy">Strategy session</a>.
      </p>
    );
  }
  const me = actingAs === undefined ? undefined : snap.people.find((p) => p.id === actingAs);
  const counts = statusCounts(roll);
  const daysLeft = Math.ceil((Date.parse(`${cycle.end}T23:59:59Z`) - Date.parse(now)) / 86_400_000);
  const orgGoals = snap.orgGoals.filter((g) => g.cycleId === cycle.id);

  return (
    <div class="home">
      <p class="home-lead">
        {me ? (
          <>
            What needs <strong>{me.name}</strong> now in <strong>{cycle.name}</strong>
          </>
        ) : (
          <>
            Everything open in <strong>{cycle.name}</strong>.{' '}
            {!team.connected && 'Choose who you are under “Acting as” to see only what is yours.'}
          </>
        )}{' '}
        <span class="muted">
          ({formatDay(cycle.start)} – {formatDay(cycle.end)},{' '}
          {daysLeft >= 0 ? `${daysLeft} days left` : `ended ${-daysLeft} days ago`})
        </span>
      </p>
      <div class="home-grid">
        <section class="home-card home-needs" aria-labelledby="needs-title">
          <h2 id="needs-title">Needs {me ? 'you' : 'attention'} now</h2>
          {items.length === 0 && findings !== undefined ? (
            <p role="status">Nothing needs {me ? 'you' : 'anyone'} right now.</p>
          ) : (
            <ul class="needs-list">
              {items.map((item) => (
                <NeedItem key={itemKey(item)} item={item} snap={snap} showOwner={actingAs === undefined} />
              ))}
            </ul>
          )}
          {findings === undefined && (
            <p class="muted" aria-busy="true">
              Checking the plan…
            </p>
          )}
          {snap.untaggedCount > 0 && (
            <p>
              <a href="#inbox">
                {snap.untaggedCount} {snap.untaggedCount === 1 ? 'clip' : 'clips'} to tag
              </a>{' '}
              <span class="muted">
                of {snap.evidenceCount} in the inbox: placed on the framework, they count on the heat map.
              </span>
            </p>
          )}
        </section>
        <section class="home-card" aria-labelledby="glance-title">
          <h2 id="glance-title">Goals at a glance</h2>
          <p class="status-counts">
            Department goals:{' '}
            {counts['at-risk'] > 0 && <strong class="count-at-risk">{counts['at-risk']} at risk</strong>}
            {counts['at-risk'] > 0 && ', '}
            {counts.behind} behind, {counts['on-track']} on track. <a href="#progress">Progress</a>
          </p>
          {orgGoals.length === 0 && (
            <p>
              No organisation goal in this cycle yet: set one in the <a href="#strategy">Strategy session</a>.
            </p>
          )}
          {orgGoals.map((g) => {
            const node = roll.orgGoals.get(g.id);
            const depts = snap.deptGoals.filter((d) => d.orgGoalId === g.id && d.cycleId === cycle.id).length;
            return node ? (
              <ProgressBar
                key={g.id}
                label={g.title}
                node={node}
                caption={`Plan progress, ${sourceWords(node.source, depts)}`}
              />
            ) : null;
          })}
          {roll.overall !== undefined && orgGoals.length > 1 && (
            <p class="muted">All organisation goals together: {pct(roll.overall)}.</p>
          )}
        </section>
      </div>
    </div>
  );
}

/** One thing that needs attention, linking to where it is handled. */
function NeedItem({
  item,
  snap,
  showOwner,
}: {
  item: AttentionItem;
  snap: WorkspaceSnapshot;
  showOwner: boolean;
}): JSX.Element {
  switch (item.kind) {
    case 'verify':
      return (
        <li class={item.overdue ? 'need urgent' : 'need'}>
          <span class="need-kind">To verify</span>{' '}
          <a href={`#goals/${encodeURIComponent(item.goalId)}`}>{item.title}</a>{' '}
          <span class="muted">
            ({item.department}, submitted by {personName(snap, item.submittedBy)}{' '}
            {item.daysWaiting === 0
              ? 'today'
              : `${item.daysWaiting} ${item.daysWaiting === 1 ? 'day' : 'days'} ago`}
            {item.overdue ? ' — overdue' : ''})
          </span>
        </li>
      );
    case 'rejected':
      return (
        <li class="need urgent">
          <span class="need-kind">Sent back</span>{' '}
          <a href={`#goals/${encodeURIComponent(item.goalId)}`}>{item.title}</a>{' '}
          <span class="muted">
            ({personName(snap, item.rejectedBy)}: “{item.reason}”) — fix it and submit it again
          </span>
        </li>
      );
    case 'action':
      return (
        <li class={item.state === 'overdue' || item.state === 'at-risk' ? 'need urgent' : 'need'}>
          <span class="need-kind">Action {ACTION_WORDS[item.state]}</span>{' '}
          <a href={`#goals/${encodeURIComponent(item.actionId)}`}>{item.title}</a>{' '}
          <span class="muted">
            ({item.due === undefined ? 'no due date' : `due ${formatDay(item.due)}`}
            {showOwner ? `, ${personName(snap, item.ownerId)}` : ''})
          </span>
        </li>
      );
    case 'check':
      return (
        <li class="need urgent">
          <span class="need-kind">Plan check</span> {item.finding.message}{' '}
          <a href={`#${FIX_SCREEN[item.finding.entity.kind]}/${encodeURIComponent(item.finding.entity.id)}`}>
            Fix this
          </a>
        </li>
      );
  }
}

function itemKey(item: AttentionItem): string {
  switch (item.kind) {
    case 'verify':
    case 'rejected':
      return `${item.kind}:${item.goalId}`;
    case 'action':
      return `action:${item.actionId}`;
    case 'check':
      return `check:${item.finding.id}`;
  }
}
