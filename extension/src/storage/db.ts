import type {
  Action,
  Contribution,
  CustomerEvent,
  Cycle,
  Department,
  DeptGoal,
  OrgGoal,
  Person,
  Session,
  Stage,
  Touchpoint,
} from '@cxplan/core';
import { DEFAULT_STAGES } from '@cxplan/core';
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import {
  DERIVED_SCHEMA,
  evidenceDerivedMiddleware,
  type HeatCountRow,
  rebuildEvidenceDerived,
} from './evidence-derived';
import type { EvidenceRow } from './evidence-row';
import { type PendingOp, SYNC_SCHEMA, type SyncNotice } from './sync-rows';

/** The IndexedDB database name (one per browser profile; lives in the extension's own origin). */
export const DB_NAME = 'cxplan';

/**
 * A key/value row for the workspace's singletons (organisation, settings) and the replica's own state: its
 * connection to the team workspace, its device key pair (non-extractable CryptoKeys, stored as IndexedDB allows)
 * and its place in the team's change feed.
 */
export interface MetaRow {
  key: 'organisation' | 'settings' | 'team' | 'deviceKey' | 'feed';
  value: unknown;
  /** The team version the singleton is based on (organisation, settings), as on every synced row. */
  _v?: number;
}

/**
 * Index declarations per version. Old versions stay declared (Dexie needs them to upgrade databases created
 * by older builds); add a new version with an upgrade step instead of editing one.
 */
export const SCHEMA_V1 = {
  evidence: 'id, origin.capturedAt, target.source',
  outbox: 'id, status, nextAttemptAt',
} as const;

/** v2: the whole planning workspace, capture intent, tag indexes, and due-item lookup for the outbox. */
export const SCHEMA_V2 = {
  evidence: 'id, origin.capturedAt, target.source, intent, stageId, eventId, sourceKind, taggedAt',
  outbox: 'id, status, [status+nextAttemptAt]',
  meta: 'key',
  stages: 'id, order',
  events: 'id, stageId',
  touchpoints: 'id, stageId',
  departments: 'id, parentId',
  people: 'id, departmentId',
  cycles: 'id, status',
  orgGoals: 'id, cycleId',
  deptGoals: 'id, cycleId, departmentId, orgGoalId',
  actions: 'id, cycleId, deptGoalId',
  sessions: 'id, cycleId',
  contributions: 'id, cycleId',
} as const;

/**
 * v3: indexes on the touchpoint a clip is about and on the words of its text, and tables derived from the evidence (heat-map counts per event, untagged clips), kept in step by a middleware,
 * so the dashboard opens without reading every evidence row (see evidence-derived.ts).
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  // touchpointId: how many clips use a touchpoint, asked before it is deleted. The inbox (inbox-query.ts):
  // *searchWords for its search, and [field+origin.capturedAt] to walk one event's, capturer's, stage's or source
  // kind's clips newest first.
  evidence: `${SCHEMA_V2.evidence}, touchpointId, untaggedAt, *searchWords, ${['eventId', 'origin.capturedBy', 'stageId', 'sourceKind'].map((f) => `[${f}+origin.capturedAt]`).join(', ')}`,
  ...DERIVED_SCHEMA,
} as const;

/**
 * v4: the replica of the team workspace. Pending local changes and the notices about changes the team did not take
 * (see team-sync/); every synced row carries the team version it is based on. The push-only outbox is gone: the
 * replica replaces it (what it still held is a local row, uploaded when the browser connects to the team).
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  outbox: null,
  ...SYNC_SCHEMA,
} as const;

/** The extension's Dexie database. Open it only in the background or extension pages, never in a page. */
export class CxplanDb extends Dexie {
  evidence!: EntityTable<EvidenceRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  stages!: EntityTable<Stage, 'id'>;
  events!: EntityTable<CustomerEvent, 'id'>;
  touchpoints!: EntityTable<Touchpoint, 'id'>;
  departments!: EntityTable<Department, 'id'>;
  people!: EntityTable<Person, 'id'>;
  cycles!: EntityTable<Cycle, 'id'>;
  orgGoals!: EntityTable<OrgGoal, 'id'>;
  deptGoals!: EntityTable<DeptGoal, 'id'>;
  actions!: EntityTable<Action, 'id'>;
  sessions!: EntityTable<Session, 'id'>;
  contributions!: EntityTable<Contribution, 'id'>;
  heatCounts!: EntityTable<HeatCountRow, 'eventId'>;
  syncOps!: EntityTable<PendingOp, 'seq'>;
  syncNotices!: EntityTable<SyncNotice, 'id'>;

  constructor(name: string = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        // v1 could only clip feedback, so every existing clip is feedback.
        await tx
          .table('evidence')
          .toCollection()
          .modify((row: Record<string, unknown>) => {
            if (row.intent === undefined) row.intent = 'feedback';
          });
        await seedStages(tx);
      });
    this.version(3).stores(SCHEMA_V3).upgrade(rebuildEvidenceDerived);
    this.version(4).stores(SCHEMA_V4);
    this.use(evidenceDerivedMiddleware);
    this.on('populate', (tx) => seedStages(tx));
  }
}

/** Every workspace starts with the framework's default lifecycle stages. */
async function seedStages(tx: Transaction): Promise<void> {
  const stages = tx.table('stages');
  if ((await stages.count()) === 0) await stages.bulkAdd(DEFAULT_STAGES.map((s) => ({ ...s })));
}
