import type { CustomerEvent, Stage } from '@cxplan/core';
import { IdSchema } from '@cxplan/core';
import { defineExtensionMessaging } from '@webext-core/messaging';
import * as v from 'valibot';
import type { EvidenceRow } from '../storage/evidence-row';
import { CaptureIntentSchema } from '../storage/evidence-row';
import type { AnnotationExport } from '../storage/export-annotations';
import type { ClipTags } from '../storage/storage-service';
import { ClipTagsSchema } from '../storage/storage-service';
import type { TeamStatus } from '../team-sync/sync-status';
import type { LocalSummary } from '../team-sync/team-connect';

/**
 * The one message contract between extension pages (popup, and later the dashboard and side panel), the in-page
 * tag panel and the background. Every message's data is parsed with the schema below when it arrives; every
 * answer is a discriminated union, so a failure reaches the user as a sentence, not as silence.
 *
 * Wire format (from @webext-core/messaging): `{ id, type, data, timestamp }` → `{ res }` or `{ err }`.
 */

const TabIdSchema = v.pipe(v.number('must be a tab id (a number)'), v.integer('must be a whole number'));

/** `captureSelection`: clip the current selection of tab `tabId` (the documented entry point, see README). */
export const CaptureRequestSchema = v.object({
  tabId: TabIdSchema,
  intent: v.optional(CaptureIntentSchema, 'feedback'),
  /** Only look in this frame (context-menu clicks know the frame); default: every frame of the tab. */
  frameId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Open the in-page tag panel after saving (default true). */
  openPanel: v.optional(v.boolean(), true),
});
/** Data of `captureSelection`. */
export type CaptureRequest = v.InferInput<typeof CaptureRequestSchema>;

/** `tagClip`: set tags on a stored clip. */
export const TagRequestSchema = v.object({ id: IdSchema, tags: ClipTagsSchema });
/** Data of `tagClip`. */
export type TagRequest = { id: string; tags: ClipTags };

/** `listPageClips`, `getCaptureStatus`: about one tab. */
export const TabRequestSchema = v.object({ tabId: TabIdSchema });
/** Data of messages about one tab. */
export type TabRequest = v.InferInput<typeof TabRequestSchema>;

/** `locateClip`: scroll to a clip in a tab and highlight it. */
export const LocateRequestSchema = v.object({ tabId: TabIdSchema, evidenceId: IdSchema });
/** Data of `locateClip`. */
export type LocateRequest = v.InferInput<typeof LocateRequestSchema>;

/** `connectTeam`: the line copied from Jira (cxplan → Connect a browser) and a name for this browser. */
export const ConnectRequestSchema = v.object({
  line: v.pipe(v.string('must be the line Jira showed'), v.maxLength(2000)),
  deviceName: v.pipe(v.string(), v.maxLength(200)),
});
/** Data of `connectTeam`. */
export type ConnectRequest = v.InferInput<typeof ConnectRequestSchema>;

/** `resolveUpload`: whether to upload this browser's own workspace to the team it just connected to. */
export const UploadRequestSchema = v.object({ upload: v.boolean() });

/** Why something could not be done; `message` is the sentence to show the user. */
export type Failure = {
  ok: false;
  code:
    | 'invalid-request'
    | 'no-selection'
    | 'restricted-page'
    | 'no-access'
    | 'unsupported-page'
    | 'not-found'
    | 'quote-not-found'
    | 'storage-error';
  message: string;
};

/** Builds a failure answer. */
export function failure(code: Failure['code'], message: string): Failure {
  return { ok: false, code, message };
}

/** Answer of `captureSelection`. */
export type CaptureOutcome = { ok: true; evidence: EvidenceRow; durationMs: number } | Failure;
/** Answer of `tagClip`. */
export type TagOutcome = { ok: true; evidence: EvidenceRow } | Failure;
/** Answer of `listPageClips`. */
export type PageClipsOutcome =
  | {
      ok: true;
      url: string;
      clips: EvidenceRow[] /** Where each clip stands with Jira, as a short label. */;
      sync: Record<string, string>;
    }
  | Failure;
/** Answer of `locateClip`. */
export type LocateOutcome = { ok: true; by: 'position' | 'quote'; text: string } | Failure;
/** The last capture problem in a tab (shown by the popup after a context-menu or shortcut capture failed). */
export type CaptureStatus = { lastError: Failure | null };

/** What the tag panel needs to draw itself. */
export interface PanelState {
  evidence: EvidenceRow;
  stages: Stage[];
  events: CustomerEvent[];
  /** The choices made on the previous clip, offered again. */
  remembered: ClipTags;
}

/** The protocol map: message name → (data) => answer. */
export interface CxplanProtocol {
  captureSelection(data: CaptureRequest): CaptureOutcome;
  tagClip(data: TagRequest): TagOutcome;
  getPanelState(): PanelState | null;
  listPageClips(data: TabRequest): PageClipsOutcome;
  locateClip(data: LocateRequest): LocateOutcome;
  getCaptureStatus(data: TabRequest): CaptureStatus;
  /** Every clip as a W3C Web Annotation (JSON-LD), for export. */
  exportAnnotations(): AnnotationExport;
  /** Where this browser stands with the team workspace. */
  getTeamStatus(): TeamStatus;
  /** Connects this browser to a team (the page asked for the host permission first, in the click). */
  connectTeam(
    data: ConnectRequest,
  ):
    | { ok: true; status: TeamStatus; local: LocalSummary }
    | { ok: false; message: string; errors: { path: string; message: string }[] };
  /** The person's answer to "upload this browser's workspace?"; then syncs. */
  resolveUpload(data: { upload: boolean }): TeamStatus | Failure;
  /** Syncs now (push, then pull until caught up) and answers the status. */
  syncNow(): TeamStatus;
  /** Disconnects this browser from its team (its workspace stays, as a local one). */
  disconnectTeam(): TeamStatus;
  /** Marks the sync notices as seen. */
  markNoticesSeen(): TeamStatus;
}

/** Send and receive functions typed by {@link CxplanProtocol}. */
export const { sendMessage, onMessage } = defineExtensionMessaging<CxplanProtocol>();
