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
import { DEFAULT_STAGES, heatMapCategory } from '@cxplan/core';
import { type DBCore, type DBCoreMutateRequest, Dexie, type EntityTable, type Transaction } from 'dexie';
import type { OutboxItem } from '../outbox/outbox-item';
import type { EvidenceRow } from './evidence-row';

/** The IndexedDB database name (one per browser profile; lives in the extension's own origin). */
export const DB_NAME = 'cxplan';

/** A key/value row for the workspace's singletons (organisation, settings). */
export interface MetaRow {
  key: 'organisation' | 'settings';
  value: unknown;
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
 * v3: `heatCategory` (the core's heatMapCategory: sentiment slot × 8 + the evidence's own driver mask) is derived
 * on every evidence write, and indexed after the event id, so the heat map is computed from index keys alone
 * instead of reading 100k full rows (rows with no event are not in the index, as before).
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  evidence: `${SCHEMA_V2.evidence}, [eventId+heatCategory]`,
} as const;

/** The field v3 derives on every evidence row (not part of the core's Evidence; the core schema strips it). */
export const HEAT_CATEGORY_FIELD = 'heatCategory';

/** The extension's Dexie database. Open it only in the background or extension pages, never in a page. */
export class CxplanDb extends Dexie {
  evidence!: EntityTable<EvidenceRow, 'id'>;
  outbox!: EntityTable<OutboxItem, 'id'>;
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
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        await tx
          .table('evidence')
          .toCollection()
          .modify((row: Record<string, unknown>) => {
            setHeatCategory(row);
          });
      });
    this.on('populate', (tx) => seedStages(tx));
    // Every write of an evidence row (add, bulkAdd, put, update, modify — whoever calls it) passes here, so the
    // derived field can never go stale against the row's sentiment and drivers.
    this.use({
      stack: 'dbcore',
      name: 'evidenceHeatCategory',
      create: (down: DBCore): DBCore => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          if (name !== 'evidence') return table;
          return {
            ...table,
            mutate: (req: DBCoreMutateRequest) =>
              req.type === 'add' || req.type === 'put'
                ? table.mutate({ ...req, values: req.values.map(withHeatCategory) })
                : table.mutate(req),
          };
        },
      }),
    });
  }
}

/** Every workspace starts with the framework's default lifecycle stages. */
async function seedStages(tx: Transaction): Promise<void> {
  const stages = tx.table('stages');
  if ((await stages.count()) === 0) await stages.bulkAdd(DEFAULT_STAGES.map((s) => ({ ...s })));
}

/** A copy of an evidence row with its heat-map category set (or removed when the row has no valid shape). */
function withHeatCategory(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const row = { ...(value as Record<string, unknown>) };
  setHeatCategory(row);
  return row;
}

const SENTIMENTS = new Set<unknown>([undefined, -2, -1, 0, 1, 2]);
const DRIVERS = new Set<unknown>(['loyalty', 'retention', 'pain']);

/** Sets `heatCategory` from the row's sentiment and drivers; a row whose fields are not valid is left unindexed. */
function setHeatCategory(row: Record<string, unknown>): void {
  const drivers = row.drivers ?? [];
  if (SENTIMENTS.has(row.sentiment) && Array.isArray(drivers) && drivers.every((d) => DRIVERS.has(d))) {
    row[HEAT_CATEGORY_FIELD] = heatMapCategory({
      sentiment: row.sentiment as -2 | -1 | 0 | 1 | 2 | undefined,
      drivers,
    });
  } else {
    delete row[HEAT_CATEGORY_FIELD];
  }
}
