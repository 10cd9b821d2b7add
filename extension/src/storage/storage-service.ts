import {
  DriverSchema,
  type HeatMapCount,
  IdSchema,
  OrganisationSchema,
  ParseError,
  parseWith,
  SentimentSchema,
  SettingsSchema,
  SourceKindSchema,
  WORKSPACE_SCHEMA_VERSION,
  type Workspace,
  WorkspaceSchema,
} from '@cxplan/core';
import * as v from 'valibot';
import type { CxplanDb } from './db';
import { EVIDENCE_WRITE_SCOPE, heatMapCounts } from './evidence-derived';
import { type EvidenceRow, EvidenceRowSchema } from './evidence-row';
import { type LocalChange, RECORD_SCOPE, recordChanges } from './pending-changes';
import { VERSION_FIELD } from './sync-rows';
import { readConnection } from './team-link';
import {
  COLLECTION_LABELS,
  COLLECTION_SCHEMAS,
  type CollectionName,
  type RowOf,
} from './workspace-collections';

/** The tags a user can set on a clip in the tag panel (each optional: only what is given changes). */
export const ClipTagsSchema = v.object({
  sourceKind: v.optional(SourceKindSchema),
  stageId: v.optional(v.nullable(IdSchema)),
  eventId: v.optional(v.nullable(IdSchema)),
  sentiment: v.optional(v.nullable(SentimentSchema)),
  drivers: v.optional(v.array(DriverSchema)),
});
/** Tags to set on a clip; `null` clears a field. */
export type ClipTags = v.InferOutput<typeof ClipTagsSchema>;

/** Thrown when an id names nothing stored. */
export class MissingRowError extends Error {
  constructor(what: string, id: string) {
    super(`${what} "${id}" does not exist`);
    // Not 'NotFoundError': Dexie rewrites errors with IndexedDB's DOMException names into its own.
    this.name = 'MissingRowError';
  }
}

/**
 * The tables a write to a collection must hold: evidence writes also update what is derived from evidence, and
 * every write records itself for the team workspace (when this browser is connected to one) in the same
 * transaction, so a row and its pending change commit or fail together.
 */
function writeScope(collection: CollectionName): string[] {
  return [...(collection === 'evidence' ? EVIDENCE_WRITE_SCOPE : [collection]), ...RECORD_SCOPE];
}

/** A row as written, keeping the team version the stored row was based on (the schemas drop it when parsing). */
function keepVersion<T extends object>(row: T, before: unknown): T {
  const version = (before as Record<string, unknown> | undefined)?.[VERSION_FIELD];
  return version === undefined ? row : { ...row, [VERSION_FIELD]: version };
}

/** Parses a value with a schema or throws a ParseError whose messages name the field (prefixed by `label`). */
function parseOrFail<S extends v.GenericSchema>(schema: S, input: unknown, label: string): v.InferOutput<S> {
  const result = parseWith(schema, input, label);
  if (!result.ok) {
    throw new ParseError(result.errors.map((e) => ({ ...e, message: `${label}: ${e.message}` })));
  }
  return result.value;
}

/**
 * The one typed service in front of the extension's IndexedDB. Every row written is parsed with its core schema
 * first (so nothing invalid is stored) and every row read back is parsed again (so a damaged row is reported by
 * field, not passed on). Writes that belong together share one transaction.
 */
export class StorageService {
  constructor(
    readonly db: CxplanDb,
    private readonly clock: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Stores a fresh capture (and, when connected to a team, its pending change) in one transaction. */
  async addCapture(input: unknown): Promise<EvidenceRow> {
    const row = parseOrFail(EvidenceRowSchema, input, 'capture');
    await this.db.transaction('rw', writeScope('evidence'), async () => {
      await this.db.evidence.add(row);
      await this.record([{ kind: 'evidence', id: row.id, before: undefined, after: row }]);
    });
    return row;
  }

  /**
   * Writes many evidence rows in one transaction (imports, benchmarks); all are parsed before any is written and
   * returns how many were written. With `skipExisting`, rows whose id is already stored (or repeated in `inputs`)
   * are left out instead of failing the batch: an import with deterministic ids then adds nothing the second time.
   */
  async bulkAddEvidence(
    inputs: readonly unknown[],
    options: { skipExisting?: boolean } = {},
  ): Promise<number> {
    const rows = inputs.map((input, i) => parseOrFail(EvidenceRowSchema, input, `evidence[${i}]`));
    return this.db.transaction('rw', writeScope('evidence'), async () => {
      let fresh = rows;
      if (options.skipExisting === true) {
        // Read the ids inside the write transaction, so a concurrent import cannot slip a row in between.
        const stored = await this.db.evidence.bulkGet(rows.map((r) => r.id));
        const seen = new Set<string>();
        fresh = rows.filter((r, i) => {
          if (stored[i] !== undefined || seen.has(r.id)) return false;
          seen.add(r.id);
          return true;
        });
      }
      await this.db.evidence.bulkAdd(fresh);
      // Only the rows actually added are changes for the team.
      await this.record(
        fresh.map((row) => ({ kind: 'evidence' as const, id: row.id, before: undefined, after: row })),
      );
      return fresh.length;
    });
  }

  /** Records writes for the team workspace (nothing when this browser is not connected to one). */
  private record(changes: readonly LocalChange[]): Promise<number> {
    return recordChanges(this.db, changes, this.newId, this.clock());
  }

  /** One evidence row, parsed; undefined when there is none with that id. */
  async getEvidence(id: string): Promise<EvidenceRow | undefined> {
    const row = await this.db.evidence.get(id);
    return row === undefined ? undefined : parseOrFail(EvidenceRowSchema, row, `stored evidence "${id}"`);
  }

  /** The clips whose target is the given (cleaned) page URL, newest first. */
  async listEvidenceForPage(url: string): Promise<EvidenceRow[]> {
    const rows = await this.db.evidence.where('target.source').equals(url).toArray();
    return this.parseStored('evidence', rows).sort((a, b) =>
      b.origin.capturedAt.localeCompare(a.origin.capturedAt),
    );
  }

  /**
   * The heat-map counts per customer event × category, kept in step with every evidence write (see
   * evidence-derived.ts): the core's `computeHeatMapFromCounts` makes the heat map from them without reading a row.
   */
  async heatMapCounts(): Promise<HeatMapCount[]> {
    return heatMapCounts(await this.db.heatCounts.toArray());
  }

  /** The evidence placed on one customer event (the rows behind one heat-map cell), parsed. */
  async evidenceOfEvent(eventId: string): Promise<EvidenceRow[]> {
    return this.parseStored('evidence', await this.db.evidence.where('eventId').equals(eventId).toArray());
  }

  /** How many evidence rows are tagged with one stage, event or touchpoint (an index count; no row is read). */
  countEvidenceUsing(field: 'stageId' | 'eventId' | 'touchpointId', id: string): Promise<number> {
    return this.db.evidence.where(field).equals(id).count();
  }

  /** How many evidence rows are stored. */
  countEvidence(): Promise<number> {
    return this.db.evidence.count();
  }

  /**
   * Sets tags on a clip and marks it tagged; `null` clears a field. The merged row is parsed before it is
   * written, so an unknown source kind or a sentiment of 7 is refused and the stored row stays as it was.
   */
  async tagEvidence(id: string, input: unknown): Promise<EvidenceRow> {
    const tags = parseOrFail(ClipTagsSchema, input, 'tags');
    return this.db.transaction('rw', writeScope('evidence'), async () => {
      const stored = await this.db.evidence.get(id);
      const current = await this.getEvidence(id);
      if (current === undefined) throw new MissingRowError('evidence', id);
      const merged: Record<string, unknown> = { ...current, taggedAt: new Date(this.clock()).toISOString() };
      for (const [key, value] of Object.entries(tags)) {
        if (value === null) delete merged[key];
        else if (value !== undefined) merged[key] = value;
      }
      const next = parseOrFail(EvidenceRowSchema, merged, `evidence "${id}"`);
      await this.db.evidence.put(keepVersion(next, stored));
      await this.record([{ kind: 'evidence', id, before: stored, after: next }]);
      return next;
    });
  }

  /** Every stored row of a collection that parses (damaged rows are skipped with a warning, never deleted). */
  async list<C extends CollectionName>(collection: C): Promise<RowOf<C>[]> {
    const rows = await this.table(collection).toArray();
    return this.parseStored(collection, rows);
  }

  /**
   * Creates or replaces one row of a collection after parsing it with the collection's core schema; when this
   * browser is connected to a team, the change is recorded for it in the same transaction.
   */
  async put<C extends CollectionName>(collection: C, input: unknown): Promise<RowOf<C>> {
    const [row] = await this.write(collection, [input], () => COLLECTION_LABELS[collection]);
    return row as RowOf<C>;
  }

  /**
   * {@link put} for many rows in one transaction (bulk saves, seeding): every row is parsed before any is written,
   * so one invalid row (named by its index) writes nothing.
   */
  putMany<C extends CollectionName>(collection: C, inputs: readonly unknown[]): Promise<RowOf<C>[]> {
    return this.write(collection, inputs, (i) => `${COLLECTION_LABELS[collection]}[${i}]`);
  }

  private async write<C extends CollectionName>(
    collection: C,
    inputs: readonly unknown[],
    label: (i: number) => string,
  ): Promise<RowOf<C>[]> {
    const rows = inputs.map(
      (input, i) => parseOrFail(COLLECTION_SCHEMAS[collection], input, label(i)) as RowOf<C>,
    );
    const table = this.db.table(collection);
    await this.db.transaction('rw', writeScope(collection), async () => {
      const ids = rows.map((r) => (r as { id: string }).id);
      const before = (await table.bulkGet(ids)) as (Record<string, unknown> | undefined)[];
      await table.bulkPut(rows.map((row, i) => keepVersion(row as object, before[i])));
      await this.record(
        rows.map((row, i) => ({
          kind: collection,
          id: ids[i] as string,
          before: before[i],
          after: row as Record<string, unknown>,
        })),
      );
    });
    return rows;
  }

  /** One row of a collection by id, parsed; undefined when there is none. */
  async get<C extends CollectionName>(collection: C, id: string): Promise<RowOf<C> | undefined> {
    const row: unknown = await this.db.table(collection).get(id);
    return row === undefined
      ? undefined
      : (parseOrFail(
          COLLECTION_SCHEMAS[collection],
          row,
          `stored ${COLLECTION_LABELS[collection]} "${id}"`,
        ) as RowOf<C>);
  }

  /** Deletes one row of a collection by id (when connected to a team, the delete is recorded for it). */
  async remove(collection: CollectionName, id: string): Promise<void> {
    await this.db.transaction('rw', writeScope(collection), async () => {
      const before = (await this.db.table(collection).get(id)) as Record<string, unknown> | undefined;
      if (before === undefined) return;
      await this.db.table(collection).delete(id);
      await this.record([{ kind: collection, id, before, after: undefined }]);
    });
  }

  /**
   * Writes the organisation or the settings (parsed first); the team shares both except each person's current
   * cycle, which stays theirs.
   */
  async putMeta(key: 'organisation' | 'settings', input: unknown): Promise<void> {
    const value = parseOrFail(
      key === 'organisation' ? OrganisationSchema : SettingsSchema,
      input,
      key,
    ) as Record<string, unknown>;
    await this.db.transaction('rw', ['meta', ...RECORD_SCOPE], async () => {
      const stored = await this.db.meta.get(key);
      await this.db.meta.put({ key, value, ...(stored?._v !== undefined && { _v: stored._v }) });
      const team = (v: unknown) => {
        if (v === undefined || key === 'organisation') return v as Record<string, unknown> | undefined;
        const { currentCycleId: _mine, ...rest } = v as Record<string, unknown>;
        return rest;
      };
      await this.record([
        {
          kind: key,
          id: key,
          before: stored && {
            ...team(stored.value),
            ...(stored._v !== undefined && { [VERSION_FIELD]: stored._v }),
          },
          after: team(value),
        },
      ]);
    });
  }

  /** The whole workspace, assembled from the tables and parsed with the core's Workspace schema. */
  async readWorkspace(): Promise<Workspace> {
    const [org, settings] = await Promise.all([
      this.db.meta.get('organisation'),
      this.db.meta.get('settings'),
    ]);
    const lists = await Promise.all(
      (Object.keys(COLLECTION_SCHEMAS) as CollectionName[]).map(
        async (c) => [c, await this.list(c)] as const,
      ),
    );
    const ws = {
      schemaVersion: WORKSPACE_SCHEMA_VERSION,
      organisation: org?.value ?? { name: 'My organisation', businessObjectives: [] },
      settings: settings?.value ?? {},
      ...Object.fromEntries(lists),
    };
    return parseOrFail(WorkspaceSchema, ws, 'workspace');
  }

  /**
   * Replaces the whole workspace (restore from backup). The input is parsed completely first and the swap is
   * one transaction, so an invalid file or a failure half-way changes nothing. Refused while this browser is
   * connected to a team: a restore would replace the team's workspace for everyone (disconnect first, restore,
   * then connect and upload).
   */
  async replaceWorkspace(input: unknown): Promise<void> {
    const ws = parseOrFail(WorkspaceSchema, input, 'workspace');
    if ((await readConnection(this.db)) !== undefined)
      throw new Error(
        'This browser is connected to a team workspace, and a restore would replace it for everyone. Disconnect this browser from the team first (Options), or restore in a browser used alone.',
      );
    const names = Object.keys(COLLECTION_SCHEMAS) as CollectionName[];
    const tables = [...new Set([...names, ...EVIDENCE_WRITE_SCOPE, 'meta'])];
    await this.db.transaction('rw', tables, async () => {
      for (const c of names) {
        // db.table() is Dexie's untyped handle: the rows were parsed against the collection's schema above.
        await this.db.table(c).clear();
        await this.db.table(c).bulkAdd(ws[c]);
      }
      await this.db.meta.bulkPut([
        { key: 'organisation', value: parseOrFail(OrganisationSchema, ws.organisation, 'organisation') },
        { key: 'settings', value: parseOrFail(SettingsSchema, ws.settings, 'settings') },
      ]);
    });
  }

  private table<C extends CollectionName>(collection: C): CxplanDb[C] {
    return this.db[collection];
  }

  private parseStored<C extends CollectionName>(collection: C, rows: readonly unknown[]): RowOf<C>[] {
    const out: RowOf<C>[] = [];
    for (const row of rows) {
      const result = parseWith(COLLECTION_SCHEMAS[collection], row, COLLECTION_LABELS[collection]);
      if (result.ok) out.push(result.value as RowOf<C>);
      else console.warn(`cxplan: skipped a damaged ${COLLECTION_LABELS[collection]} row`, row, result.errors);
    }
    return out;
  }
}
