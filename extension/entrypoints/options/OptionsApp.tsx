import { TEAM_KIND_LABELS, type TeamKind } from '@cxplan/core';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { sendMessage } from '../../src/messaging/protocol';
import { CxplanDb } from '../../src/storage/db';
import type { EvidenceRow } from '../../src/storage/evidence-row';
import { declaredDataCollection } from '../../src/team-sync/data-consent';
import { clipLabels, type TeamStatus } from '../../src/team-sync/sync-status';
import type { LocalSummary } from '../../src/team-sync/team-connect';
import { LEGACY_PAIRING_KEY, parseConnectionLine } from '../../src/team-sync/team-connection';
import { formatMoment } from '../../src/workspace/progress/dates';

/** How many recent clips the page lists, a page at a time. */
const PAGE = 50;

const db = new CxplanDb();

async function loadClips(
  page: number,
): Promise<{ clips: EvidenceRow[]; labels: Record<string, string>; total: number }> {
  const [clips, total] = await Promise.all([
    db.evidence
      .orderBy('origin.capturedAt')
      .reverse()
      .offset(page * PAGE)
      .limit(PAGE)
      .toArray() as Promise<EvidenceRow[]>,
    db.evidence.count(),
  ]);
  return {
    clips,
    labels: await clipLabels(
      db,
      clips.map((c) => c.id),
    ),
    total,
  };
}

/** What a browser holds, in words ("120 clips, 3 department goals"). */
function describeLocal(local: LocalSummary): string {
  return Object.entries(local)
    .map(([kind, n]) => `${n} ${TEAM_KIND_LABELS[kind as TeamKind]}${n === 1 ? '' : 's'}`)
    .join(', ');
}

const when = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : 'not yet');

/**
 * The options page: connect this browser to the team workspace (the line copied from Jira), see where it stands
 * (who it belongs to, what waits, what the team did not take), disconnect it; and the recent clips with where each
 * stands. A browser used alone needs none of it: everything works locally.
 */
export function OptionsApp(): JSX.Element {
  const [status, setStatus] = useState<TeamStatus | undefined>();
  const [legacy, setLegacy] = useState(false);
  const [line, setLine] = useState('');
  const [deviceName, setDeviceName] = useState(defaultDeviceName());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<LocalSummary | undefined>();
  const [page, setPage] = useState(0);
  const [clips, setClips] = useState<{ clips: EvidenceRow[]; labels: Record<string, string>; total: number }>(
    {
      clips: [],
      labels: {},
      total: 0,
    },
  );

  const refresh = useCallback(async () => {
    setStatus(await sendMessage('getTeamStatus', undefined).catch(() => undefined));
    setLegacy((await browser.storage.local.get(LEGACY_PAIRING_KEY))[LEGACY_PAIRING_KEY] !== undefined);
    setClips(await loadClips(page));
  }, [page]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 2_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const onConnect = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    const parsed = parseConnectionLine(line);
    if (!parsed.ok) {
      setError(parsed.errors[0]?.message ?? 'That line cannot be read.');
      return;
    }
    // The host permission first, while this click still counts as a user gesture (browsers prompt only then).
    const types = declaredDataCollection(browser.runtime);
    let granted = false;
    try {
      granted = await browser.permissions.request({
        origins: [parsed.value.originPattern],
        ...(types.length > 0 && { data_collection: types }),
      } as { origins: string[] });
    } catch {
      granted = await browser.permissions
        .request({ origins: [parsed.value.originPattern] })
        .catch(() => false);
    }
    if (!granted) {
      setError(
        `cxplan needs permission to reach ${parsed.value.originPattern.replace('/*', '')} to connect.`,
      );
      return;
    }
    setBusy(true);
    const outcome = await sendMessage('connectTeam', { line, deviceName }).catch((e: unknown) => ({
      ok: false as const,
      message: String(e),
      errors: [],
    }));
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    await browser.storage.local.remove(LEGACY_PAIRING_KEY);
    setLine('');
    setLocal(outcome.local);
    setStatus(outcome.status);
  };

  const onUpload = async (upload: boolean): Promise<void> => {
    setBusy(true);
    const next = await sendMessage('resolveUpload', { upload });
    setBusy(false);
    if ('ok' in next) setError(next.message);
    else setStatus(next);
  };

  const onDisconnect = async (): Promise<void> => {
    setStatus(await sendMessage('disconnectTeam', undefined));
  };

  const connected = status?.connected ? status : undefined;
  const connection = connected?.connection;

  return (
    <main>
      <h1>cxplan — team workspace</h1>
      <section aria-labelledby="team-h">
        <h2 id="team-h">Connection</h2>
        {legacy && !connection && (
          <p id="reconnect" class="error">
            cxplan now connects each person with their own key; the shared secret this browser was paired with
            no longer works. In Jira open Apps → cxplan - connect a browser, make a code and paste the line
            below. Nothing in this browser is lost.
          </p>
        )}
        {!connection && (
          <>
            <p id="team-status" data-connected="no">
              This browser works on its own: everything you capture and plan stays here. To work with your
              team, connect it to the team workspace in Jira.
            </p>
            <form onSubmit={(e) => void onConnect(e)}>
              <label for="connection-line">
                Connection line from Jira (Apps → cxplan - connect a browser)
              </label>
              <input
                id="connection-line"
                type="text"
                autocomplete="off"
                spellcheck={false}
                value={line}
                onInput={(e) => setLine(e.currentTarget.value)}
                placeholder="https://…atlassian-dev.net/x1/…#ABCD-EFGH-JKLM-NPQR"
                aria-invalid={error !== null}
                aria-describedby={error ? 'connect-error' : undefined}
              />
              <label for="device-name">Name of this browser (shown to you in Jira)</label>
              <input
                id="device-name"
                type="text"
                value={deviceName}
                onInput={(e) => setDeviceName(e.currentTarget.value)}
              />
              {error && (
                <p id="connect-error" class="error" role="alert">
                  {error}
                </p>
              )}
              <button id="connect" type="submit" disabled={busy}>
                {busy ? 'Connecting…' : 'Connect to the team'}
              </button>
            </form>
          </>
        )}
        {connection && (
          <>
            <p
              id="team-status"
              data-connected={connection.broken ? 'broken' : 'yes'}
              class={connection.broken ? 'error' : 'ok'}
            >
              {connection.broken
                ? `The team no longer accepts this browser: ${connection.broken.message}`
                : `Connected to ${connection.workspaceName} as ${connection.member.name} (${connection.member.role}${connection.member.admin ? ', admin' : ''}).`}
            </p>
            {connection.phase === 'confirm-upload' && (
              <section id="upload-question" aria-labelledby="upload-h">
                <h3 id="upload-h">Upload this browser's workspace to the team?</h3>
                <p>
                  This browser holds {local ? describeLocal(local) : 'a workspace of its own'}. Upload it once
                  to {connection.workspaceName}, so your team sees it? Items the team already has stay as the
                  team has them; anything your role may not change is shown to you, not lost.
                </p>
                <button id="upload-yes" type="button" disabled={busy} onClick={() => void onUpload(true)}>
                  Upload and start syncing
                </button>
                <button id="upload-no" type="button" disabled={busy} onClick={() => void onUpload(false)}>
                  Don't upload (disconnect)
                </button>
              </section>
            )}
            {connected && connection.phase === 'connected' && (
              <dl id="sync-state">
                <div>
                  <dt>Waiting to send</dt>
                  <dd data-count="waiting">{connected.waiting}</dd>
                </div>
                <div>
                  <dt>Last caught up with the team</dt>
                  <dd>{when(connected.caughtUpAt)}</dd>
                </div>
                {connected.firstSync && (
                  <div>
                    <dt>First sync</dt>
                    <dd id="first-sync">
                      {connected.firstSync.received} of {connected.firstSync.total} team clips received
                    </dd>
                  </div>
                )}
              </dl>
            )}
            {connected?.lastError && <p class="error">Last try: {connected.lastError}</p>}
            {connected && connected.notices.length > 0 && (
              <section aria-labelledby="notices-h" id="notices">
                <h3 id="notices-h">Changes the team did not take as you made them</h3>
                <ul>
                  {connected.notices.map((n) => (
                    <li key={n.id} data-outcome={n.outcome}>
                      <strong>{n.label}</strong>: {n.message}
                    </li>
                  ))}
                </ul>
                <button
                  type="button"
                  onClick={() => void sendMessage('markNoticesSeen', undefined).then(setStatus)}
                >
                  Mark as read
                </button>
              </section>
            )}
            <button
              id="sync-now"
              type="button"
              disabled={!!connection.broken || connection.phase !== 'connected'}
              onClick={() => void sendMessage('syncNow', undefined).then(setStatus)}
            >
              Sync now
            </button>
            <button id="disconnect" type="button" onClick={() => void onDisconnect()}>
              Disconnect this browser
            </button>
          </>
        )}
      </section>
      <section aria-labelledby="clips-h">
        <h2 id="clips-h">Recent clips</h2>
        {!connected && clips.total > 0 && <p class="muted">Kept in this browser.</p>}
        {clips.total === 0 ? (
          <p>No clips yet.</p>
        ) : (
          <>
            <table id="clips">
              <thead>
                <tr>
                  <th>Clip</th>
                  <th>Captured</th>
                  <th>By</th>
                  {connected && <th>Team</th>}
                </tr>
              </thead>
              <tbody>
                {clips.clips.map((clip) => (
                  <tr key={clip.id} data-clip-id={clip.id}>
                    <td>{clip.text.length > 90 ? `${clip.text.slice(0, 89)}…` : clip.text}</td>
                    <td>{formatMoment(clip.origin.capturedAt)}</td>
                    <td>{clip.origin.capturedBy}</td>
                    {/* Alone, every clip is kept in this browser: the sentence above the table says it once. */}
                    {connected && <td class="state">{clips.labels[clip.id]}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {page * PAGE + 1}–{Math.min((page + 1) * PAGE, clips.total)} of {clips.total}{' '}
              <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Newer
              </button>
              <button
                type="button"
                disabled={(page + 1) * PAGE >= clips.total}
                onClick={() => setPage(page + 1)}
              >
                Older
              </button>
            </p>
          </>
        )}
      </section>
    </main>
  );
}

/** A name that tells one's browsers apart in Jira ("Chrome on Linux"). */
function defaultDeviceName(): string {
  const ua = navigator.userAgent;
  const browserName = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrom/.test(ua)
        ? 'Chrome'
        : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS/.test(ua)
      ? 'macOS'
      : /Linux/.test(ua)
        ? 'Linux'
        : 'this computer';
  return `${browserName} on ${os}`;
}
