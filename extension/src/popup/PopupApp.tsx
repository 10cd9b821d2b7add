import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Failure } from '../messaging/protocol';
import { sendMessage } from '../messaging/protocol';
import { readCapturePrefs, writeCapturePrefs } from '../settings/capture-prefs';
import { type CaptureIntent, type EvidenceRow, intentOf } from '../storage/evidence-row';

/** A line the popup shows after an action: what happened, or why not. */
type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The tab the popup acts on: the active tab of its window, or `?tabId=` when the popup page is opened in a tab
 * of its own (keyboard users and the real-browser tests; documented in README.md).
 */
async function resolveTabId(): Promise<number | undefined> {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function tagSummary(clip: EvidenceRow): string {
  const parts: string[] = [clip.sourceKind];
  if (intentOf(clip) !== 'feedback') parts.unshift(intentOf(clip));
  if (clip.sentiment !== undefined) parts.push(`sentiment ${clip.sentiment > 0 ? '+' : ''}${clip.sentiment}`);
  if (clip.stageId !== undefined) parts.push(clip.stageId.replace(/^stage-/, ''));
  if (clip.taggedAt === undefined) parts.push('untagged');
  return parts.join(' · ');
}

/** The popup: clip the selection, see the clips of this page, jump to one. */
export function PopupApp(): JSX.Element {
  const [tabId, setTabId] = useState<number | undefined>();
  const [clips, setClips] = useState<EvidenceRow[]>([]);
  const [sync, setSync] = useState<Record<string, string>>({});
  const [listProblem, setListProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [intent, setIntent] = useState<CaptureIntent>('feedback');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async (id: number) => {
    const listed = await sendMessage('listPageClips', { tabId: id });
    if (listed.ok) {
      setClips(listed.clips);
      setSync(listed.sync);
      setListProblem(null);
    } else setListProblem(listed.message);
  }, []);

  useEffect(() => {
    void (async () => {
      const id = await resolveTabId();
      setTabId(id);
      setName((await readCapturePrefs(browser.storage.local)).capturedBy);
      if (id === undefined) return;
      const status = await sendMessage('getCaptureStatus', { tabId: id });
      if (status.lastError) setNotice({ kind: 'error', text: status.lastError.message });
      await refresh(id);
    })();
  }, [refresh]);

  const fail = (f: Failure): void => setNotice({ kind: 'error', text: f.message });

  const clip = async (): Promise<void> => {
    if (tabId === undefined) return;
    setBusy(true);
    const outcome = await sendMessage('captureSelection', { tabId, intent });
    setBusy(false);
    if (!outcome.ok) return fail(outcome);
    setNotice({ kind: 'ok', text: 'Clip saved. Tag it in the panel on the page.' });
    await refresh(tabId);
  };

  const locate = async (id: string): Promise<void> => {
    if (tabId === undefined) return;
    const outcome = await sendMessage('locateClip', { tabId, evidenceId: id });
    if (outcome.ok) setNotice({ kind: 'ok', text: 'Highlighted on the page.' });
    else fail(outcome);
  };

  const saveName = async (value: string): Promise<void> => {
    try {
      await writeCapturePrefs(browser.storage.local, { capturedBy: value });
      setName(value.trim());
    } catch (e) {
      setNotice({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <main>
      <header class="top">
        <h1>cxplan</h1>
        {/* The planning workspace is its own page: the popup stays small and only links to it. */}
        <a href="/dashboard.html" target="_blank" rel="noreferrer">
          Open dashboard
        </a>
      </header>
      <div class="capture">
        <button
          type="button"
          class="primary"
          disabled={busy || tabId === undefined}
          onClick={() => void clip()}
        >
          Clip selection
        </button>
        <label>
          as{' '}
          <select value={intent} onChange={(e) => setIntent(e.currentTarget.value as CaptureIntent)}>
            <option value="feedback">customer feedback</option>
            <option value="goal">goal</option>
            <option value="action">action</option>
          </select>
        </label>
      </div>
      <p class={`notice ${notice?.kind ?? ''}`} role="status" aria-live="polite">
        {notice?.text ?? ''}
      </p>
      <h2>Clips from this page</h2>
      {listProblem !== null ? (
        <p class="muted">{listProblem}</p>
      ) : clips.length === 0 ? (
        <p class="muted">No clips from this page yet. Select text and press “Clip selection”.</p>
      ) : (
        <ul class="clips">
          {clips.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => void locate(c.id)} data-clip-id={c.id}>
                <span class="text">{c.text}</span>
                <span class="tags">{tagSummary(c)}</span>
                {sync[c.id] !== undefined && <span class="sync">{sync[c.id]}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label class="who">
        Captured by{' '}
        <input
          value={name}
          onChange={(e) => void saveName(e.currentTarget.value)}
          aria-describedby="who-help"
          maxLength={500}
        />
      </label>
      <p id="who-help" class="muted">
        Stored with every clip you take.
      </p>
    </main>
  );
}
