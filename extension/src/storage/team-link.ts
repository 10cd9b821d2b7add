import { DateTimeSchema, parseWith, TeamMemberSchema } from '@cxplan/core';
import * as v from 'valibot';
import type { CxplanDb } from './db';

/**
 * This browser's connection to a team workspace, kept in IndexedDB (meta 'team'): where the team endpoint is, the
 * device id the Jira app gave this browser, who it belongs to, and where the first upload stands.
 */
export const TeamConnectionSchema = v.object({
  /** The team web trigger's URL (the part of the pasted line before '#'). */
  triggerUrl: v.string(),
  /** The host permission asked for it (`https://host/*`). */
  originPattern: v.string(),
  deviceId: v.string(),
  member: TeamMemberSchema,
  workspaceName: v.string(),
  connectedAt: DateTimeSchema,
  /**
   * `confirm-upload`: connected, and this browser holds a workspace of its own that the person has not yet agreed
   * to upload; nothing is sent or recorded until they do. `connected`: syncing both ways.
   */
  phase: v.picklist(['confirm-upload', 'connected']),
  /** Set when the team refused this device (revoked, unknown): syncing stops, local changes keep being kept. */
  broken: v.optional(v.object({ code: v.string(), message: v.string(), at: DateTimeSchema })),
  /** The team's clock minus ours, learnt from a refused stale signature. */
  clockOffsetMs: v.optional(v.number(), 0),
});
/** This browser's connection to a team workspace. */
export type TeamConnection = v.InferOutput<typeof TeamConnectionSchema>;

/** Reads the connection (undefined: this browser works alone; an unreadable record counts as none, and says so). */
export async function readConnection(db: CxplanDb): Promise<TeamConnection | undefined> {
  const row = await db.meta.get('team');
  if (row === undefined) return undefined;
  const parsed = parseWith(TeamConnectionSchema, row.value, 'team connection');
  if (!parsed.ok)
    console.warn('cxplan: the stored team connection is unreadable; connect again', parsed.errors);
  return parsed.ok ? parsed.value : undefined;
}

/** Saves the connection (parsed first). */
export async function saveConnection(db: CxplanDb, connection: TeamConnection): Promise<void> {
  const parsed = parseWith(TeamConnectionSchema, connection, 'team connection');
  if (!parsed.ok) throw new Error(`team connection: ${parsed.errors[0]?.message ?? 'invalid'}`);
  await db.meta.put({ key: 'team', value: parsed.value });
}

/** Changes part of the stored connection (nothing when there is none). */
export async function updateConnection(db: CxplanDb, change: Partial<TeamConnection>): Promise<void> {
  const current = await readConnection(db);
  if (current) await saveConnection(db, { ...current, ...change });
}

/** Whether local writes are recorded for the team (connected, and past the upload question). */
export async function isRecording(db: CxplanDb): Promise<boolean> {
  const connection = await readConnection(db);
  return connection !== undefined && connection.phase === 'connected';
}
