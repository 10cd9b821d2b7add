import type { FieldError } from '@cxplan/core';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { pairWithJira, readPairing, type StoredPairing, unpairJira } from '../../src/jira-pairing';
import { type ClipSyncState, clipSyncStates, syncStateLabel, syncStateOf } from '../../src/jira-sync-state';
import { sendMessage } from '../../src/messaging/protocol';
import type { OutboxItem } from '../../src/outbox/outbox-item';
import { OUTBOX_ALARM } from '../../src/outbox/outbox-scheduler';
import { declaredDataCollection } from '../../src/outbox-sender-consent';
import type { PlanSyncStateAnswer } from '../../src/plan-outbox-messages';
import { CxplanDb } from '../../src/storage/db';
import type { EvidenceRow } from '../../src/storage/evidence-row';
import { StorageService } from '../../src/storage/storage-service';

/** How many recent clips the page lists. */
const LISTED = 200;

const storage = new StorageService(new CxplanDb());

/** Asks the background to drain the outbox now (its alarm handler does the sending, one sender at a time). */
function sendNow(): Promise<void> {
  return browser.alarms.create(OUTBOX_ALARM, { when: Date.now() });
}

async function loadClips(): Promise<{ clips: EvidenceRow[]; states: Map<string, ClipSyncState> }> {
  const clips = (await storage.db.evidence
    .orderBy('origin.capturedAt')
    .reverse()
    .limit(LISTED)
    .toArray()) as EvidenceRow[];
  const outbox: OutboxItem[] = [];
  for (const status of ['pending', 'sending', 'sent', 'failed'] as const)
    outbox.push(...(await storage.outboxByStatus(status)));
  return { clips, states: clipSyncStates(outbox) };
}

/** The options page: pair with Jira (trigger URL + secret), and see where each clip stands. */
export function OptionsApp(): JSX.Element {
  const [pairing, setPairing] = useState<StoredPairing | undefined>();
  const [triggerUrl, setTriggerUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [clips, setClips] = useState<EvidenceRow[]>([]);
  const [states, setStates] = useState<Map<string, ClipSyncState>>(new Map());
  const [plan, setPlan] = useState<PlanSyncStateAnswer | undefined>();
  const [planNotice, setPlanNotice] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setPairing(await readPairing(browser.storage.local));
    const loaded = await loadClips();
    setClips(loaded.clips);
    setStates(loaded.states);
    const planState = await sendMessage('getPlanSyncState', undefined).catch(() => undefined);
    if (planState?.ok) setPlan(planState);
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 1_500);
    return () => clearInterval(timer);
  }, [refresh]);

  const onPair = async (event: Event): Promise<void> => {
    event.preventDefault();
    setNotice(null);
    // pairWithJira asks for the host permission first thing, while this click still counts as a user gesture.
    const outcome = await pairWithJira(
      { triggerUrl, secret },
      {
        local: browser.storage.local,
        permissions: browser.permissions,
        // Firefox's optional data-consent types (none in Chrome), asked for in the pairing prompt.
        dataCollection: declaredDataCollection(browser.runtime),
      },
    );
    if (!outcome.ok) {
      setErrors(outcome.errors);
      return;
    }
    setErrors([]);
    setSecret('');
    setNotice('Paired. Waiting clips are being sent.');
    await sendNow();
    await refresh();
  };

  const onUnpair = async (): Promise<void> => {
    await unpairJira({ local: browser.storage.local, permissions: browser.permissions });
    setNotice('Unpaired. Clips stay on this computer until you pair again.');
    await refresh();
  };

  const onSendPlan = async (): Promise<void> => {
    const answer = await sendMessage('sendPlanToJira', undefined).catch((e: unknown) => ({
      ok: false as const,
      message: String(e),
    }));
    if (!answer.ok) {
      setPlanNotice(`The plan was not queued: ${answer.message}`);
      return;
    }
    setPlan(answer);
    const what = `${answer.queued} new and ${answer.retried} failed goals or actions queued`;
    setPlanNotice(answer.paired ? `${what}; sending now.` : `${what}; they are sent once Jira is paired.`);
  };

  const errorFor = (path: string): string | undefined => errors.find((e) => e.path === path)?.message;

  return (
    <main>
      <h1>cxplan — Jira connection</h1>
      <section aria-labelledby="pairing-h">
        <h2 id="pairing-h">Pairing</h2>
        {pairing ? (
          <p
            id="pairing-status"
            data-paired={pairing.broken ? 'broken' : 'ok'}
            class={pairing.broken ? 'error' : 'ok'}
          >
            {pairing.broken
              ? `Jira refused this pairing: ${pairing.broken.message}`
              : `Paired with ${pairing.originPattern.replace('/*', '')} (secret ${pairing.keyId}) since ${pairing.pairedAt.slice(0, 16).replace('T', ' ')}.`}
          </p>
        ) : (
          <p id="pairing-status" data-paired="none">
            Not paired: clips stay on this computer. A Jira admin finds the trigger URL and the secret on the
            cxplan admin page.
          </p>
        )}
        <form onSubmit={(e) => void onPair(e)}>
          <label for="trigger-url">Web trigger URL</label>
          <input
            id="trigger-url"
            type="url"
            value={triggerUrl}
            onInput={(e) => setTriggerUrl(e.currentTarget.value)}
            placeholder="https://….atlassian-dev.net/x1/…"
            aria-invalid={errorFor('triggerUrl') !== undefined}
          />
          {errorFor('triggerUrl') && <p class="error">{errorFor('triggerUrl')}</p>}
          <label for="secret">Secret</label>
          <input
            id="secret"
            type="password"
            autocomplete="off"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
            placeholder="cxp1.…"
            aria-invalid={errorFor('secret') !== undefined}
          />
          {errorFor('secret') && <p class="error">{errorFor('secret')}</p>}
          {errorFor('permission') && <p class="error">{errorFor('permission')}</p>}
          <button id="pair" type="submit">
            {pairing ? 'Pair again' : 'Pair with Jira'}
          </button>
          {pairing && (
            <button id="unpair" type="button" onClick={() => void onUnpair()}>
              Unpair
            </button>
          )}
          <button
            id="send-now"
            type="button"
            onClick={() => void sendNow()}
            disabled={!pairing || !!pairing.broken}
          >
            Send now
          </button>
        </form>
        {notice && <p id="notice">{notice}</p>}
      </section>
      <section aria-labelledby="plan-h">
        <h2 id="plan-h">Plan (department goals and actions)</h2>
        <p>
          Goals and actions you save in the workspace are sent to Jira by themselves (as epics and their child
          issues). The sample workspace is never sent.
        </p>
        {plan && (
          <dl id="plan-sync">
            {(
              [
                ['pending', 'Waiting'],
                ['sending', 'Sending'],
                ['sent', 'In Jira'],
                ['failed', 'Failed'],
                ['local', 'Never queued'],
              ] as const
            ).map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd data-count={key}>{plan.counts[key]}</dd>
              </div>
            ))}
          </dl>
        )}
        {plan?.lastError && (
          <p id="plan-last-error" class="error">
            Last error: {plan.lastError}
          </p>
        )}
        <button id="send-plan" type="button" onClick={() => void onSendPlan()}>
          Send plan to Jira now
        </button>
        {planNotice && <p id="plan-notice">{planNotice}</p>}
      </section>
      <section aria-labelledby="clips-h">
        <h2 id="clips-h">Clips and their Jira sync state</h2>
        {clips.length === 0 ? (
          <p>No clips yet.</p>
        ) : (
          <table id="clips">
            <thead>
              <tr>
                <th>Clip</th>
                <th>Captured</th>
                <th>Jira</th>
              </tr>
            </thead>
            <tbody>
              {clips.map((clip) => {
                const s = syncStateOf(states, clip.id);
                return (
                  <tr key={clip.id} data-clip-id={clip.id}>
                    <td>{clip.text.length > 90 ? `${clip.text.slice(0, 89)}…` : clip.text}</td>
                    <td>{clip.origin.capturedAt.slice(0, 16).replace('T', ' ')}</td>
                    <td class="state" data-state={s.state}>
                      {syncStateLabel(s, pairing !== undefined && !pairing.broken)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
