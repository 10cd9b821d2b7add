import * as v from 'valibot';
import { DateTimeSchema } from '../model/common';
import { type DanglingReference, findDanglingReferences } from '../model/references';
import { WORKSPACE_SCHEMA_VERSION, type Workspace, WorkspaceSchema } from '../model/workspace';
import { describeErrors, type FieldError, parseWith } from './parse';

/** The `format` tag every cxplan backup file carries. */
export const BACKUP_FORMAT = 'cxplan-backup';

/** A JSON backup of a whole workspace: `JSON.stringify` it to save, pass the parsed JSON to `restoreBackup`. */
export interface Backup {
  format: typeof BACKUP_FORMAT;
  /** The workspace schema version the backup was written with. */
  schemaVersion: number;
  exportedAt: string;
  workspace: Workspace;
}

/** Wraps a workspace in a versioned backup envelope. `now` is passed in so the function stays pure. */
export function createBackup(workspace: Workspace, now: Date | string): Backup {
  return {
    format: BACKUP_FORMAT,
    schemaVersion: WORKSPACE_SCHEMA_VERSION,
    exportedAt: typeof now === 'string' ? now : now.toISOString(),
    workspace,
  };
}

/** A workspace as raw JSON, before it has been checked against the current schema. */
export type RawWorkspace = Record<string, unknown>;

/** One upgrade step: turns a raw workspace of schema `from` into one of schema `to` (= from + 1). */
export interface UpgradeStep {
  from: number;
  to: number;
  /** What changed between the two versions, in plain words (shown when a restore upgrades). */
  description: string;
  upgrade: (workspace: RawWorkspace) => RawWorkspace;
}

/**
 * Schema 0 is the draft shape cxplan had before its first release: a version-1 workspace without
 * `contributions` and `settings`. No released cxplan wrote it; the step is real, documented, and keeps the
 * upgrade path exercised end to end until there is a version 2.
 */
export const DRAFT_V0_TO_V1: UpgradeStep = {
  from: 0,
  to: 1,
  description: 'Added executive contributions (none yet) and workspace settings (defaults).',
  upgrade: (ws) => ({
    ...ws,
    schemaVersion: 1,
    contributions: ws.contributions ?? [],
    settings: ws.settings ?? { verificationOverdueDays: 14 },
  }),
};

/** The upgrade steps, oldest first. Append one step per new schema version; never edit an old one. */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [DRAFT_V0_TO_V1];

/** Why a backup was refused; `message` is a sentence fit to show the user. Nothing stored is touched. */
export type RestoreError =
  | { code: 'not-json'; message: string }
  | { code: 'not-a-backup'; errors: FieldError[]; message: string }
  | { code: 'newer-version'; version: number; message: string }
  | { code: 'no-upgrade-path'; version: number; message: string }
  | { code: 'invalid-workspace'; errors: FieldError[]; message: string }
  | { code: 'dangling-references'; references: DanglingReference[]; message: string };

/** The outcome of a restore: the workspace (upgraded if it was older), or why the backup was refused. */
export type RestoreResult =
  | {
      ok: true;
      workspace: Workspace;
      exportedAt: string;
      /** The version the backup was written with (equal to the current one when no upgrade ran). */
      fromVersion: number;
      /** Descriptions of the upgrade steps applied, oldest first. */
      upgrades: string[];
    }
  | { ok: false; error: RestoreError };

const EnvelopeSchema = v.object({
  format: v.literal(BACKUP_FORMAT, `must be "${BACKUP_FORMAT}" (this is not a cxplan backup)`),
  schemaVersion: v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(0, 'must be 0 or more'),
  ),
  exportedAt: DateTimeSchema,
  workspace: v.record(v.string(), v.unknown(), 'must be an object'),
});

const refuse = (error: RestoreError): RestoreResult => ({ ok: false, error });

/**
 * Restores a backup from parsed JSON (or its text): checks the envelope, upgrades an older schema step by step,
 * parses the workspace with the current schema and refuses dangling references. Never throws for bad input.
 */
export function restoreBackup(input: unknown, steps: readonly UpgradeStep[] = UPGRADE_STEPS): RestoreResult {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      return refuse({ code: 'not-json', message: `The backup is not valid JSON: ${(e as Error).message}` });
    }
  }
  const envelope = parseWith(EnvelopeSchema, json, 'backup');
  if (!envelope.ok) {
    return refuse({
      code: 'not-a-backup',
      errors: envelope.errors,
      message: `This is not a usable cxplan backup: ${describeErrors(envelope.errors)}`,
    });
  }
  const { schemaVersion, exportedAt } = envelope.value;
  if (schemaVersion > WORKSPACE_SCHEMA_VERSION) {
    return refuse({
      code: 'newer-version',
      version: schemaVersion,
      message: `This backup was made by a newer cxplan (schema ${schemaVersion}); this version reads up to ${WORKSPACE_SCHEMA_VERSION}`,
    });
  }
  let ws: RawWorkspace = envelope.value.workspace;
  const upgrades: string[] = [];
  for (let version = schemaVersion; version < WORKSPACE_SCHEMA_VERSION; ) {
    const step = steps.find((s) => s.from === version);
    // A step must move forward, or a faulty list would loop for ever.
    if (step === undefined || step.to <= version) {
      return refuse({
        code: 'no-upgrade-path',
        version: schemaVersion,
        message: `This backup uses schema ${schemaVersion}, which this version of cxplan cannot upgrade (no step from schema ${version})`,
      });
    }
    ws = step.upgrade(ws);
    upgrades.push(step.description);
    version = step.to;
  }
  const parsed = parseWith(WorkspaceSchema, ws, 'workspace');
  if (!parsed.ok) {
    return refuse({
      code: 'invalid-workspace',
      errors: parsed.errors,
      message: `The backup's workspace is invalid: ${describeErrors(parsed.errors)}`,
    });
  }
  const dangling = findDanglingReferences(parsed.value);
  if (dangling.length > 0) {
    return refuse({
      code: 'dangling-references',
      references: dangling,
      message: `The backup refers to things it does not contain: ${describeErrors(dangling)}`,
    });
  }
  return { ok: true, workspace: parsed.value, exportedAt, fromVersion: schemaVersion, upgrades };
}
