import {
  checkDeletion,
  type DeletionCheck,
  type FieldError,
  type HeatMapCount,
  type Organisation,
  OrganisationSchema,
  type ParseResult,
  type PlanWorkspace,
  parseWith,
  type Settings,
  SettingsSchema,
  WORKSPACE_SCHEMA_VERSION,
} from '@cxplan/core';
import type { EvidenceRow } from '../storage/evidence-row';
import type { StorageService } from '../storage/storage-service';
import {
  COLLECTION_LABELS,
  COLLECTION_SCHEMAS,
  type CollectionName,
  type RowOf,
} from '../storage/workspace-collections';
import { readFeed } from '../team-sync/replica';
import { type TeamStatus, teamStatus } from '../team-sync/sync-status';

/** Everything in the workspace except the evidence (which can be 100k rows and is queried, never listed whole). */
export type WorkspaceSnapshot = PlanWorkspace & {
  evidenceCount: number;
  /** Clips nobody has placed on the framework yet (read from the `untaggedAt` index, never by scanning). */
  untaggedCount: number;
};

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

  /** Reads every small collection, the organisation, the settings and the evidence counts. */
  async snapshot(): Promise<WorkspaceSnapshot> {
    const [lists, organisation, settings, evidenceCount, untaggedCount] = await Promise.all([
      Promise.all(SMALL_COLLECTIONS.map(async (c) => [c, await this.storage.list(c)] as const)),
      this.organisation(),
      this.settings(),
      this.storage.countEvidence(),
      // Only untagged rows carry `untaggedAt` (evidence-derived.ts), so the index holds exactly them.
      this.storage.db.evidence.where('untaggedAt').aboveOrEqual('').count(),
    ]);
    const byName = Object.fromEntries(lists) as unknown as { [C in CollectionName]: RowOf<C>[] };
    return {
      schemaVersion: WORKSPACE_SCHEMA_VERSION,
      organisation,
      settings,
      evidenceCount,
      untaggedCount,
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
    if (r.ok) await this.storage.putMeta('organisation', r.value);
    return r;
  }

  /** Merges a change into the settings and saves them after parsing. */
  async saveSettings(patch: Partial<Settings>): Promise<WriteResult<Settings>> {
    const r = parseWith(SettingsSchema, { ...(await this.settings()), ...patch }, 'settings');
    if (r.ok) await this.storage.putMeta('settings', r.value);
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
   * Deletes a stage, event or touchpoint only if nothing uses it (the core's `checkDeletion`, with the evidence
   * counted from its index): otherwise nothing is deleted and the message says what uses it.
   */
  async removeFrameworkItem(
    plan: PlanWorkspace,
    collection: 'stages' | 'events' | 'touchpoints',
    id: string,
  ): Promise<DeletionCheck> {
    const field = ({ stages: 'stageId', events: 'eventId', touchpoints: 'touchpointId' } as const)[
      collection
    ];
    const check = checkDeletion(plan, collection, id, await this.storage.countEvidenceUsing(field, id));
    if (check.ok) await this.storage.remove(collection, id);
    return check;
  }

  /**
   * The heat map's counts per customer event × category, kept by the storage layer: the dashboard draws the heat
   * map from them (the core's `computeHeatMapFromCounts`) without reading any evidence row.
   */
  async heatMapCounts(): Promise<HeatMapCount[]> {
    // While a new replica's first sync runs, the team's own counts (sent with the first page) draw the heat map,
    // so it is usable before every clip has arrived.
    const feed = await readFeed(this.storage.db);
    return feed.firstSync ? feed.firstSync.heatCounts : this.storage.heatMapCounts();
  }

  /** Where this browser stands with the team workspace (`connected: false` when it works alone). */
  team(): Promise<TeamStatus> {
    return teamStatus(this.storage.db);
  }

  /** The evidence behind one heat-map cell: every row placed on the event. */
  evidenceOfEvent(eventId: string): Promise<EvidenceRow[]> {
    return this.storage.evidenceOfEvent(eventId);
  }

  /**
   * The evidence the row-based analytics need (plan checks, touchpoint gaps, the commitment overview): every row
   * placed on an event, read in one bulk `getAll` over the `eventId` index, plus the rows cited by id that are
   * not placed (so a goal citing an untagged clip still cites something that exists). Rows are not re-parsed one
   * by one (100k valibot parses would cost more than the read); every row was parsed when it was written, and
   * rows that lost their shape are skipped here. Screens ask for this only when they show such analytics.
   */
  async analyticsEvidence(citedIds: Iterable<string> = []): Promise<EvidenceRow[]> {
    const rows = ((await this.storage.db.evidence.orderBy('eventId').toArray()) as unknown[]).filter(
      isEvidenceShaped,
    );
    const have = new Set(rows.map((r) => r.id));
    const missing = [...new Set(citedIds)].filter((id) => !have.has(id));
    if (missing.length > 0)
      for (const row of (await this.storage.db.evidence.bulkGet(missing)) as unknown[])
        if (isEvidenceShaped(row)) rows.push(row);
    return rows;
  }

  /** Evidence rows by id (parsed), in the order asked, skipping ids that no longer exist. */
  async evidenceByIds(ids: readonly string[]): Promise<EvidenceRow[]> {
    const rows = await Promise.all(ids.map((id) => this.storage.getEvidence(id)));
    return rows.filter((r): r is EvidenceRow => r !== undefined);
  }
}

/** Every evidence id the plan cites (organisation goals and actions). */
export function citedEvidenceIds(ws: Pick<PlanWorkspace, 'orgGoals' | 'actions'>): Set<string> {
  const ids = new Set<string>();
  for (const g of ws.orgGoals) for (const id of g.evidenceIds) ids.add(id);
  for (const a of ws.actions) for (const id of a.evidenceIds) ids.add(id);
  return ids;
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
