import { cleanUrl, describeErrors, parseWith } from '@cxplan/core';
import type * as v from 'valibot';
import { type CaptureDeps, captureSelection, storageFailure } from '../capture/capture-selection';

import { isRestrictedUrl, restrictedPage } from '../capture/page-access';
import { type PairingArea, readPairing } from '../jira-pairing';
import { clipSyncStates, syncStateLabel, syncStateOf } from '../jira-sync-state';
import { locateClip } from '../locate/locate-clip';
import {
  type CaptureOutcome,
  CaptureRequestSchema,
  type Failure,
  failure,
  LocateRequestSchema,
  onMessage,
  TabRequestSchema,
  TagRequestSchema,
} from '../messaging/protocol';
import { planSyncState, sendPlanNow } from '../plan-outbox-messages';
import { readCapturePrefs, writeCapturePrefs } from '../settings/capture-prefs';
import { exportAnnotations } from '../storage/export-annotations';
import { MissingRowError } from '../storage/storage-service';
import type { ScriptingApi } from './browser-apis';
import type { CaptureStatusBoard } from './capture-status';
import type { TagPanelLauncher } from './tag-panel-launcher';

/** Everything the background's message handlers use. */
export interface HandlerDeps extends CaptureDeps {
  scripting: CaptureDeps['scripting'] & Pick<ScriptingApi, 'insertCSS'>;
  local: Parameters<typeof readCapturePrefs>[0] & PairingArea;
  panel: TagPanelLauncher;
  status: CaptureStatusBoard;
  /** Called after anything was queued in the outbox (reschedules the outbox alarm). */
  outboxChanged: () => Promise<void>;
}

/** Parses a message's data, or answers with a failure naming the field. */
function parseData<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
): { ok: true; value: v.InferOutput<S> } | Failure {
  const r = parseWith(schema, data, 'data');
  return r.ok ? r : failure('invalid-request', describeErrors(r.errors));
}

/**
 * Captures, records the outcome for the tab (badge + popup status), queues the outbox alarm and opens the tag
 * panel. Shared by the message, the context menu and the keyboard shortcut.
 */
export async function runCapture(deps: HandlerDeps, data: unknown): Promise<CaptureOutcome> {
  const req = parseData(CaptureRequestSchema, data);
  if (!req.ok) return req;
  const outcome = await captureSelection(deps, req.value);
  await deps.status.record(req.value.tabId, outcome.ok ? null : outcome);
  if (outcome.ok) {
    await deps.outboxChanged();
    if (req.value.openPanel) {
      // The clip is already saved; a panel that cannot open (page navigated) must not turn that into a failure.
      deps.panel.open(req.value.tabId, outcome.evidence.id).catch((e: unknown) => {
        console.warn('cxplan: could not open the tag panel', e);
      });
    }
  }
  return outcome;
}

/** Registers every handler of the message contract. Returns a function that removes them. */
export function registerMessageHandlers(deps: HandlerDeps): () => void {
  const off = [
    onMessage('captureSelection', ({ data }) => runCapture(deps, data)),

    onMessage('getPanelState', async ({ sender }) => {
      const tabId = sender.tab?.id;
      const id = tabId === undefined ? undefined : deps.panel.clipFor(tabId);
      if (id === undefined) return null;
      const [evidence, stages, events, prefs] = await Promise.all([
        deps.storage.getEvidence(id),
        deps.storage.list('stages'),
        deps.storage.list('events'),
        readCapturePrefs(deps.local),
      ]);
      if (evidence === undefined) return null;
      return {
        evidence,
        stages: stages.sort((a, b) => a.order - b.order),
        events,
        remembered: prefs.lastTags,
      };
    }),

    onMessage('tagClip', async ({ data }) => {
      const req = parseData(TagRequestSchema, data);
      if (!req.ok) return req;
      try {
        const evidence = await deps.storage.tagEvidence(req.value.id, req.value.tags);
        const { sourceKind, stageId, eventId, sentiment, drivers } = evidence;
        await writeCapturePrefs(deps.local, {
          lastTags: { sourceKind, stageId, eventId, sentiment, drivers },
        });
        await deps.outboxChanged();
        return { ok: true as const, evidence };
      } catch (e) {
        // storageFailure turns a ParseError into `invalid-request` naming the field.
        return e instanceof MissingRowError ? failure('not-found', e.message) : storageFailure(e);
      }
    }),

    onMessage('listPageClips', async ({ data }) => {
      const req = parseData(TabRequestSchema, data);
      if (!req.ok) return req;
      const tab = await deps.tabs.get(req.value.tabId).catch(() => undefined);
      if (tab === undefined) return failure('not-found', 'That tab is no longer open.');
      if (isRestrictedUrl(tab.url)) return restrictedPage();
      if (tab.url === undefined || !/^https?:/i.test(tab.url)) {
        return failure('no-access', 'Open the popup from the page itself to see the clips taken from it.');
      }
      const url = cleanUrl(tab.url);
      const clips = await deps.storage.listEvidenceForPage(url);
      const [outbox, pairing] = await Promise.all([
        deps.storage.outboxForEvidence(clips.map((c) => c.id)),
        readPairing(deps.local),
      ]);
      const states = clipSyncStates(outbox);
      const sync = Object.fromEntries(
        clips.map((c) => [c.id, syncStateLabel(syncStateOf(states, c.id), pairing !== undefined)]),
      );
      return { ok: true as const, url, clips, sync };
    }),

    onMessage('locateClip', async ({ data }) => {
      const req = parseData(LocateRequestSchema, data);
      if (!req.ok) return req;
      return locateClip(deps, req.value.tabId, req.value.evidenceId);
    }),

    onMessage('getCaptureStatus', async ({ data }) => {
      const req = parseData(TabRequestSchema, data);
      return { lastError: req.ok ? deps.status.lastError(req.value.tabId) : req };
    }),

    onMessage('exportAnnotations', () => exportAnnotations(deps.storage)),

    onMessage('getPlanSyncState', () =>
      planSyncState(deps).catch((e: unknown) =>
        failure('storage-error', `The plan's Jira state: ${String(e)}`),
      ),
    ),

    onMessage('sendPlanToJira', () =>
      sendPlanNow(deps).catch((e: unknown) =>
        failure('storage-error', `The plan was not queued: ${String(e)}`),
      ),
    ),
  ];
  return () => {
    for (const remove of off) remove();
  };
}
