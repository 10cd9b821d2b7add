import {
  type FieldError,
  type Organisation,
  OrganisationSchema,
  type ParseResult,
  parseWith,
  type Settings,
  SettingsSchema,
  WORKSPACE_SCHEMA_VERSION,
  type Workspace,
} from '@cxplan/core';
import type { EvidenceRow } from '../storage/evidence-row';
import type { StorageService } from '../storage/storage-service';
import {
  COLLECTION_LABELS,
  COLLECTION_SCHEMAS,
  type CollectionName,
  type RowOf,
} from '../storage/workspace-collections';

/** Everything in the workspace except the evidence (which can be 100k rows and is queried, never listed whole). */
export type WorkspaceSnapshot = Omit<Workspace, 'evidence'> & { evidenceCount: number };

/** The small collections a snapshot lists in full. */
const SMALL_COLLECTIONS = (Object.keys(COLLECTION_SCHEMAS) as CollectionName[]).filter(
  (c) => c !== 'evidence',
);

/** A write's outcome: the stored row, or the field errors that kept it out (nothing was written). */
export type WriteResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * The planning workspace as the dashboard and side panel see it, over the extension's storage service. The
 * evidence is never loaded whole into the UI: screens query it (see inbox-query.ts) and analytics read only the
 * rows placed on an event, in bulk.
 */
export class WorkspaceData {
  constructor(readonly storage: StorageService) {}

  /** Reads every small collection, the organisation, the settings and the evidence count. */
  async snapshot(): Promise<WorkspaceSnapshot> {
    const [lists, organisation, settings, evidenceCount] = await Promise.all([
      Promise.all(SMALL_COLLECTIONS.map(async (c) => [c, await this.storage.list(c)] as const)),
      this.organisation(),
      this.settings(),
      this.storage.countEvidence(),
    ]);
    const byName = Object.fromEntries(lists) as unknown as { [C in CollectionName]: RowOf<C>[] };
    return {
      schemaVersion: WORKSPACE_SCHEMA_VERSION,
      organisation,
      settings,
      evidenceCount,
      departments: byName.departments,
      people: byName.people,
      cycles: byName.cycles,
      stages: byName.stages,
      events: byName.events,
      touchpoints: byName.touchpoints,
      orgGoals: byName.orgGoals,
      deptGoals: byName.deptGoals,
      actions: byName.actions,
      sessions: byName.sessions,
      contributions: byName.contributions,
    };
  }

  /** The organisation (a default name and no objectives until one is saved). */
  async organisation(): Promise<Organisation> {
    const row = await this.storage.db.meta.get('organisation');
    const r = parseWith(
      OrganisationSchema,
      row?.value ?? { name: 'My organisation', businessObjectives: [] },
    );
    return r.ok ? r.value : { name: 'My organisation', businessObjectives: [] };
  }

  /** The workspace settings with their defaults. */
  async settings(): Promise<Settings> {
    const row = await this.storage.db.meta.get('settings');
    const r = parseWith(SettingsSchema, row?.value ?? {});
    return r.ok ? r.value : (parseWith(SettingsSchema, {}) as { ok: true; value: Settings }).value;
  }

  /** Saves the organisation after parsing it with the core schema; errors name the field. */
  async saveOrganisation(input: unknown): Promise<WriteResult<Organisation>> {
    const r = parseWith(OrganisationSchema, input, 'organisation');
    if (r.ok) await this.storage.db.meta.put({ key: 'organisation', value: r.value });
    return r;
  }

  /** Merges a change into the settings and saves them after parsing. */
  async saveSettings(patch: Partial<Settings>): Promise<WriteResult<Settings>> {
    const r = parseWith(SettingsSchema, { ...(await this.settings()), ...patch }, 'settings');
    if (r.ok) await this.storage.db.meta.put({ key: 'settings', value: r.value });
    return r;
  }

  /**
   * Creates or replaces a row after parsing it with its core schema. Bad input comes back as field errors (for
   * the form to show next to each field) and nothing is written.
   */
  async save<C extends CollectionName>(collection: C, input: unknown): Promise<WriteResult<RowOf<C>>> {
    const r: ParseResult<RowOf<C>> = parseWith(
      COLLECTION_SCHEMAS[collection],
      input,
      COLLECTION_LABELS[collection],
    );
    if (!r.ok) return r;
    return { ok: true, value: await this.storage.put(collection, r.value) };
  }

  /** Deletes one row. */
  remove(collection: CollectionName, id: string): Promise<void> {
    return this.storage.remove(collection, id);
  }

  /**
   * The evidence the analytics need (the heat map, lenses, plan checks and touchpoint gaps only count evidence
   * placed on a customer event), read in one bulk `getAll` over the `eventId` index. Rows are not re-parsed one
   * by one (100k valibot parses would cost more than the whole budget); every row was parsed when it was
   * written, and rows that lost their shape are skipped here.
   */
  async analyticsEvidence(): Promise<EvidenceRow[]> {
    const rows = (await this.storage.db.evidence.orderBy('eventId').toArray()) as unknown[];
    return rows.filter(isEvidenceShaped);
  }

  /** Evidence rows by id (parsed), in the order asked, skipping ids that no longer exist. */
  async evidenceByIds(ids: readonly string[]): Promise<EvidenceRow[]> {
    const rows = await Promise.all(ids.map((id) => this.storage.getEvidence(id)));
    return rows.filter((r): r is EvidenceRow => r !== undefined);
  }
}

/** The fields the analytics read, checked cheaply (a full parse per row is what the bulk read avoids). */
function isEvidenceShaped(row: unknown): row is EvidenceRow {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Partial<EvidenceRow>;
  return (
    typeof r.id === 'string' &&
    Array.isArray(r.drivers) &&
    typeof r.origin?.capturedAt === 'string' &&
    (r.sentiment === undefined || typeof r.sentiment === 'number')
  );
}
