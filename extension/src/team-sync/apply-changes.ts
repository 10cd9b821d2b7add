import {
  type FieldPatch,
  isNewer,
  OrganisationSchema,
  parseWith,
  rebase,
  type TeamChange,
  type TeamKind,
  TeamSettingsSchema,
} from '@cxplan/core';
import type * as v from 'valibot';
import type { CxplanDb } from '../storage/db';
import { EVIDENCE_WRITE_SCOPE } from '../storage/evidence-derived';
import { entityOf, versionOf } from '../storage/pending-changes';
import { type PendingOp, VERSION_FIELD } from '../storage/sync-rows';
import { COLLECTION_SCHEMAS, type CollectionName } from '../storage/workspace-collections';

/** The singletons the workspace keeps in its meta table. */
const SINGLETONS = { organisation: OrganisationSchema, settings: TeamSettingsSchema } as const;

/** The schema a kind's rows are stored under in this browser. */
function schemaOf(kind: TeamKind): v.GenericSchema {
  return kind === 'organisation' || kind === 'settings'
    ? SINGLETONS[kind]
    : COLLECTION_SCHEMAS[kind as CollectionName];
}

/** Every table a page of changes may write (one transaction for the page). */
export const APPLY_SCOPE = [
  ...new Set([...Object.keys(COLLECTION_SCHEMAS), ...EVIDENCE_WRITE_SCOPE, 'meta', 'syncOps']),
];

/** What applying a page did. */
export interface ApplyReport {
  written: number;
  deleted: number;
  /** Changes whose body this extension could not read (kept out; reported, never stored half-read). */
  unreadable: string[];
}

/**
 * Applies a page of the team's changes to this browser's workspace in **one transaction**: a change is taken only
 * when it is newer than the row's team version (so the feed's repeats write nothing), a deleted entity's row goes,
 * and a row with changes of this person's still waiting shows them on top of the team's values (they are pushed on
 * the version they were made on, so the store still sees who changed what first). Writes made here are not recorded
 * as local changes: they come from the team.
 */
export async function applyChanges(db: CxplanDb, changes: readonly TeamChange[]): Promise<ApplyReport> {
  if (changes.length === 0) return { written: 0, deleted: 0, unreadable: [] };
  return db.transaction('rw', APPLY_SCOPE, () => applyChangesInTransaction(db, changes));
}

/** {@link applyChanges} inside a read-write transaction the caller opened over (at least) {@link APPLY_SCOPE}. */
export async function applyChangesInTransaction(
  db: CxplanDb,
  changes: readonly TeamChange[],
): Promise<ApplyReport> {
  const report: ApplyReport = { written: 0, deleted: 0, unreadable: [] };
  {
    const byKind = new Map<TeamKind, TeamChange[]>();
    for (const c of changes) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
    const pending = await pendingPatches(db, changes);
    for (const [kind, list] of byKind) {
      const singleton = kind === 'organisation' || kind === 'settings';
      // The newest change per id, so a page holding two versions of one entity writes only the later.
      const newest = new Map<string, TeamChange>();
      for (const c of list) if ((newest.get(c.id)?.version ?? -1) < c.version) newest.set(c.id, c);
      const ids = [...newest.keys()];
      const existing = (singleton ? [await db.meta.get(kind)] : await db.table(kind).bulkGet(ids)) as Array<
        Record<string, unknown> | undefined
      >;
      const puts: Record<string, unknown>[] = [];
      const deletes: string[] = [];
      ids.forEach((id, i) => {
        const change = newest.get(id) as TeamChange;
        const raw = existing[singleton ? 0 : i];
        const localVersion = singleton ? (raw?._v as number | undefined) : versionOf(raw);
        if (!isNewer(localVersion, change)) return;
        if (change.deleted) {
          deletes.push(id);
          return;
        }
        const mine = pending.get(`${kind}\u0000${id}`) ?? [];
        const shown = rebase(kind, change.body, mine) ?? change.body;
        let parsed = parseWith(schemaOf(kind), shown, kind);
        if (!parsed.ok && mine.length > 0) parsed = parseWith(schemaOf(kind), change.body, kind);
        if (!parsed.ok) {
          report.unreadable.push(`${kind} ${id}: ${parsed.errors[0]?.message ?? 'invalid'}`);
          return;
        }
        puts.push({ ...(parsed.value as Record<string, unknown>), [VERSION_FIELD]: change.version });
      });
      if (singleton) {
        const put = puts[0];
        if (put) {
          const { [VERSION_FIELD]: version, ...value } = put;
          // This person's current cycle is their own choice and stays as it was.
          const local = (existing[0] as { value?: Record<string, unknown> } | undefined)?.value;
          const keep =
            kind === 'settings' && local?.currentCycleId !== undefined
              ? { currentCycleId: local.currentCycleId }
              : {};
          await db.meta.put({ key: kind, value: { ...value, ...keep }, _v: version as number });
          report.written++;
        }
        continue;
      }
      if (puts.length > 0) await db.table(kind).bulkPut(puts);
      if (deletes.length > 0) await db.table(kind).bulkDelete(deletes);
      report.written += puts.length;
      report.deleted += deletes.length;
    }
  }
  if (report.unreadable.length > 0)
    console.warn('cxplan: changes this extension could not read', report.unreadable);
  return report;
}

/** This person's changes still waiting, per entity, in the order they were made. */
async function pendingPatches(
  db: CxplanDb,
  changes: readonly TeamChange[],
): Promise<Map<string, FieldPatch[]>> {
  const out = new Map<string, FieldPatch[]>();
  if ((await db.syncOps.count()) === 0) return out;
  const ops: PendingOp[] = await db.syncOps
    .where('[kind+id]')
    .anyOf(changes.map((c) => [c.kind, c.id]))
    .toArray();
  ops.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  for (const op of ops) {
    if (op.type !== 'put' || !op.fields) continue;
    const key = `${op.kind}\u0000${op.id}`;
    out.set(key, [...(out.get(key) ?? []), op.fields]);
  }
  return out;
}

/** The stored entity of a row (for notices): its body without storage-only fields. */
export const storedEntity = entityOf;
