import { cleanUrl, describeErrors, parseWith } from '@cxplan/core';
import type * as v from 'valibot';
import { type CaptureDeps, captureSelection, storageFailure } from '../capture/capture-selection';

import { isRestrictedUrl, restrictedPage } from '../capture/page-access';
import { locateClip } from '../locate/locate-clip';
import {
  type CaptureOutcome,
  CaptureRequestSchema,
  ConnectRequestSchema,
  type Failure,
  failure,
  LocateRequestSchema,
  onMessage,
  TabRequestSchema,
  TagRequestSchema,
  UploadRequestSchema,
} from '../messaging/protocol';
import { readCapturePrefs, writeCapturePrefs } from '../settings/capture-prefs';
import { exportAnnotations } from '../storage/export-annotations';
import { MissingRowError } from '../storage/storage-service';
import type { ReplicaDeps } from '../team-sync/replica';
import { syncWithTeam } from '../team-sync/replica';
import { clipLabels, markNoticesSeen, teamStatus } from '../team-sync/sync-status';
import { connectBrowser, disconnectBrowser, resolveUpload } from '../team-sync/team-connect';
import type { ScriptingApi } from './browser-apis';
import type { CaptureStatusBoard } from './capture-status';
import type { TagPanelLauncher } from './tag-panel-launcher';

/** Everything the background's message handlers use. */
export interface HandlerDeps extends CaptureDeps {
  scripting: CaptureDeps['scripting'] & Pick<ScriptingApi, 'insertCSS'>;
  local: Parameters<typeof readCapturePrefs>[0];
  panel: TagPanelLauncher;
  status: CaptureStatusBoard;
  /** The team replica (the background's one): what syncNow and the connect flow run. */
  replica: ReplicaDeps;
  fetch?: typeof fetch;
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
      const sync = await clipLabels(
        deps.storage.db,
        clips.map((c) => c.id),
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

    onMessage('getTeamStatus', () => teamStatus(deps.storage.db)),

    onMessage('connectTeam', async ({ data }) => {
      const req = parseWith(ConnectRequestSchema, data, 'data');
      if (!req.ok) return { ok: false as const, message: describeErrors(req.errors), errors: req.errors };
      const outcome = await connectBrowser(
        { db: deps.storage.db, ...(deps.fetch && { fetch: deps.fetch }) },
        req.value,
      );
      if (!outcome.ok)
        return { ok: false as const, message: describeErrors(outcome.errors), errors: outcome.errors };
      // Nothing local to upload: start syncing at once (the first pull brings the team's workspace).
      if (outcome.connection.phase === 'connected') void syncWithTeam(deps.replica);
      return { ok: true as const, status: await teamStatus(deps.storage.db), local: outcome.local };
    }),

    onMessage('resolveUpload', async ({ data }) => {
      const req = parseData(UploadRequestSchema, data);
      if (!req.ok) return req;
      await resolveUpload(deps.storage.db, req.value.upload, deps.newId, deps.clock());
      void syncWithTeam(deps.replica);
      return teamStatus(deps.storage.db);
    }),

    onMessage('syncNow', async () => {
      await syncWithTeam(deps.replica);
      return teamStatus(deps.storage.db);
    }),

    onMessage('disconnectTeam', async () => {
      await disconnectBrowser({ db: deps.storage.db, ...(deps.fetch && { fetch: deps.fetch }) });
      return teamStatus(deps.storage.db);
    }),

    onMessage('markNoticesSeen', async () => {
      await markNoticesSeen(deps.storage.db);
      return teamStatus(deps.storage.db);
    }),
  ];
  return () => {
    for (const remove of off) remove();
  };
}
