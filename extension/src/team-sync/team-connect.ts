import {
  diffBodies,
  type FieldError,
  SINGLETON_KINDS,
  TEAM_KINDS,
  type TeamKind,
  type TeamMember,
} from '@cxplan/core';
import type { CxplanDb } from '../storage/db';
import { SAMPLE_PREFIX, syncsToTeam } from '../storage/local-only';
import { entityOf, versionOf } from '../storage/pending-changes';
import { type PendingOp, VERSION_FIELD } from '../storage/sync-rows';
import { readConnection, saveConnection, type TeamConnection } from '../storage/team-link';
import { COLLECTION_SCHEMAS, type CollectionName } from '../storage/workspace-collections';
import { APPLY_SCOPE } from './apply-changes';
import { createDeviceKeys, readDeviceKeys } from './device-key';
import { parseConnectionLine } from './team-connection';
import { WebTriggerTransport } from './team-transport';

/** What this browser's own workspace holds (what a first connection would upload). */
export type LocalSummary = Partial<Record<TeamKind, number>>;

/** The outcome of connecting. */
export type ConnectOutcome =
  | { ok: true; connection: TeamConnection; local: LocalSummary }
  | { ok: false; errors: FieldError[] };

/** What connecting needs from the browser. */
export interface ConnectDeps {
  db: CxplanDb;
  fetch?: typeof fetch;
  clock?: () => number;
}

/**
 * Connects this browser to a team workspace with the line a person copied from Jira (cxplan → Connect a browser):
 * makes a non-extractable device key, sends the code with the public key (signed by the private one), and stores
 * who the team says this browser belongs to. When this browser already holds a workspace of its own, nothing is
 * sent until the person says whether to upload it ({@link resolveUpload}). The caller asks for the host permission
 * first, inside the click (browsers only prompt during a gesture).
 */
export async function connectBrowser(
  deps: ConnectDeps,
  input: { line: string; deviceName: string },
): Promise<ConnectOutcome> {
  const line = parseConnectionLine(input.line);
  if (!line.ok) return line;
  if ((await deps.db.cycles.where(':id').startsWith(SAMPLE_PREFIX).count()) > 0)
    return {
      ok: false,
      errors: [
        {
          path: 'line',
          message: 'Remove the sample workspace first (Data screen): it must not reach your team.',
        },
      ],
    };
  const name = input.deviceName.trim() || 'Browser';
  const { keys, publicJwk } = await createDeviceKeys(deps.db);
  const transport = new WebTriggerTransport({
    url: line.value.triggerUrl,
    keys,
    ...(deps.fetch && { fetch: deps.fetch }),
    ...(deps.clock && { clock: deps.clock }),
  });
  const result = await transport.send({
    type: 'pair',
    code: line.value.code,
    publicKey: publicJwk,
    deviceName: name,
  });
  if (!result.ok) return { ok: false, errors: [{ path: 'line', message: result.message }] };
  if (result.answer.type !== 'pair')
    return { ok: false, errors: [{ path: 'line', message: 'The team workspace answered something else.' }] };
  const local = await localSummary(deps.db);
  const connection: TeamConnection = {
    triggerUrl: line.value.triggerUrl,
    originPattern: line.value.originPattern,
    deviceId: result.answer.deviceId,
    member: result.answer.member as TeamMember,
    workspaceName: result.answer.workspaceName,
    connectedAt: new Date((deps.clock ?? Date.now)()).toISOString(),
    phase: Object.keys(local).length > 0 ? 'confirm-upload' : 'connected',
    clockOffsetMs: 0,
  };
  await deps.db.meta.put({ key: 'feed', value: {} });
  await saveConnection(deps.db, connection);
  return { ok: true, connection, local };
}

/** Counts what this browser holds that the team does not (rows never synced; the sample workspace never counts). */
export async function localSummary(db: CxplanDb): Promise<LocalSummary> {
  const out: LocalSummary = {};
  for (const kind of Object.keys(COLLECTION_SCHEMAS) as CollectionName[]) {
    let n = 0;
    await db.table(kind).each((row: Record<string, unknown>) => {
      if (syncsToTeam(String(row.id)) && versionOf(row) === 0 && !isDefaultStage(kind, row)) n++;
    });
    if (n > 0) out[kind] = n;
  }
  for (const kind of ['organisation', 'settings'] as const) {
    const row = await db.meta.get(kind);
    if (row !== undefined && (row._v ?? 0) === 0 && kind === 'organisation') out[kind] = 1;
  }
  return out;
}

/** The default lifecycle stages every workspace starts with are the team's too: they are not "local data". */
function isDefaultStage(kind: CollectionName, row: Record<string, unknown>): boolean {
  return kind === 'stages' && String(row.id).startsWith('stage-');
}

/**
 * The person's answer to "upload this browser's workspace to the team?". Yes: every local row becomes a waiting
 * operation (a new entity to the team; what the team already has the same is a duplicate, what it has otherwise
 * is kept and the person told), in kind order so what others refer to goes first. No: nothing is uploaded and the
 * browser disconnects again (its workspace stays as it is).
 */
export async function resolveUpload(
  db: CxplanDb,
  upload: boolean,
  newId: () => string,
  now: number,
): Promise<void> {
  const connection = await readConnection(db);
  if (connection?.phase !== 'confirm-upload') return;
  if (!upload) {
    await forgetConnection(db);
    return;
  }
  for (const kind of TEAM_KINDS) {
    const ops: PendingOp[] = [];
    if (SINGLETON_KINDS.has(kind)) {
      const row = await db.meta.get(kind as 'organisation' | 'settings');
      const value = row?.value as Record<string, unknown> | undefined;
      if (value && (row?._v ?? 0) === 0) {
        const { currentCycleId: _mine, ...team } = value;
        ops.push(createOp(kind, kind, team, newId, now));
      }
    } else {
      await db.table(kind).each((row: Record<string, unknown>) => {
        const id = String(row.id);
        if (!syncsToTeam(id) || versionOf(row) > 0) return;
        ops.push(createOp(kind, id, entityOf(row) ?? {}, newId, now));
      });
    }
    for (let i = 0; i < ops.length; i += 5_000) await db.syncOps.bulkAdd(ops.slice(i, i + 5_000));
  }
  await saveConnection(db, { ...connection, phase: 'connected' });
}

function createOp(
  kind: TeamKind,
  id: string,
  body: Record<string, unknown>,
  newId: () => string,
  now: number,
): PendingOp {
  return {
    opId: newId(),
    kind,
    id,
    baseVersion: 0,
    type: 'put',
    fields: diffBodies(kind, undefined, body),
    createdAt: now,
    status: 'pending',
    attempts: 0,
  };
}

/**
 * Disconnects this browser: tells the team to revoke its device (best effort: offline, the person can revoke it in
 * Jira), forgets the key, the connection and the feed position, and keeps the workspace as a local one (its rows
 * lose their team versions; changes still waiting are kept as local edits).
 */
export async function disconnectBrowser(deps: ConnectDeps): Promise<void> {
  const connection = await readConnection(deps.db);
  const keys = await readDeviceKeys(deps.db);
  if (connection && keys && !connection.broken) {
    const transport = new WebTriggerTransport({
      url: connection.triggerUrl,
      keys,
      deviceId: connection.deviceId,
      ...(deps.fetch && { fetch: deps.fetch }),
      timeoutMs: 10_000,
    });
    await transport.send({ type: 'devices', revoke: connection.deviceId }).catch(() => undefined);
  }
  await forgetConnection(deps.db);
}

async function forgetConnection(db: CxplanDb): Promise<void> {
  await db.transaction('rw', APPLY_SCOPE, async () => {
    await db.meta.bulkDelete(['team', 'deviceKey', 'feed']);
    await db.syncOps.clear();
    for (const kind of Object.keys(COLLECTION_SCHEMAS) as CollectionName[]) {
      await db
        .table(kind)
        .toCollection()
        .modify((row: Record<string, unknown>) => {
          delete row[VERSION_FIELD];
        });
    }
    for (const kind of ['organisation', 'settings'] as const) {
      const row = await db.meta.get(kind);
      if (row?._v !== undefined) {
        const { _v: _gone, ...rest } = row;
        await db.meta.put(rest);
      }
    }
  });
}
