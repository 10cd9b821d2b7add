import { createHash } from 'node:crypto';
import {
  ActionSchema,
  type Cycle,
  CycleSchema,
  DepartmentSchema,
  DeptGoalSchema,
  diffBodies,
  EvidenceSchema,
  JIRA_APP_PERSON_ID,
  OrganisationSchema,
  OrgGoalSchema,
  PersonSchema,
  type TeamKind,
  type TeamOp,
} from '@cxplan/core';
import * as v from 'valibot';
import { readAllStates } from './entity-rows';
import { applyOps } from './push';
import type { DataStep } from './setup';
import type { TeamStoreDeps } from './store-deps';
import { JIRA_TARGET_KEY } from './team-kvs';

/**
 * Moves what an installation of an older version kept in Forge KVS into the team store, once: the organisation
 * configuration (organisation, departments, people, cycles; the Jira project choice moves to its own KVS key), every
 * cycle's plan (`cxplan-plan:*`: organisation goals, department goals with their verification record and issue
 * links, actions) and the clips the retired signed ingest stored (`cxplan-evidence:*`). Everything is written as the
 * app's own (`system`) operations, so nothing is refused and verification and issue links are kept as they were;
 * clips keep the capturer's name they arrived with (no person id: the old ingest never knew who sent them).
 *
 * Idempotent and resumable: each operation's id is derived from what it moves, so a repeat is a duplicate (or, when a
 * browser changed the entity since, superseded — the store's newer state stands); progress (the step and the KVS
 * query cursor of the last page moved) is saved after every page, so a run stopped by its time budget or killed
 * half-way continues where it was on the next request. The KVS records themselves are left in place.
 */

/** The data step's id in the readiness marker (see setup.ts). */
export const KVS_IMPORT_STEP = 'kvs-import-v1';

/** KVS key of the import's progress, and of its completion record. */
export const KVS_IMPORT_PROGRESS_KEY = 'cxplan-team:kvs-import';
export const KVS_IMPORT_DONE_KEY = 'cxplan-team:kvs-imported';

/** Where older versions kept things in KVS. */
export const LEGACY_KEYS = {
  organisation: 'cxplan-organisation-config',
  planPrefix: 'cxplan-plan:',
  currentCycle: 'cxplan-plan:current-cycle',
  evidencePrefix: 'cxplan-evidence:',
} as const;

const STEPS = ['organisation', 'plans', 'cycles', 'evidence'] as const;

const ProgressSchema = v.object({
  done: v.array(v.picklist(STEPS)),
  cursor: v.optional(v.string()),
  counts: v.record(v.string(), v.number()),
  skipped: v.array(v.object({ key: v.string(), message: v.string() })),
});
type Progress = v.InferOutput<typeof ProgressSchema>;

/** What the import did, kept under {@link KVS_IMPORT_DONE_KEY}. */
export interface ImportRecord {
  at: string;
  /** Entities moved, by kind (an entity a re-run finds already there is not counted again). */
  counts: Record<string, number>;
  /** KVS records that did not parse: named, left in KVS, not moved. */
  skipped: Array<{ key: string; message: string }>;
}

/** The organisation configuration as older versions stored it. */
const LegacyConfigSchema = v.object({
  organisation: OrganisationSchema,
  departments: v.array(v.unknown()),
  people: v.array(v.unknown()),
  cycles: v.optional(v.array(v.unknown()), []),
  jira: v.optional(v.unknown()),
});

/** A captured clip as the retired ingest stored it. */
const LegacyEvidenceSchema = v.object({ evidence: v.unknown(), intent: v.optional(v.string()) });

/** Pages of 100 keys (Forge's most per query). */
const PAGE = 100;

/** The data step that moves an older installation's KVS data into the team store. */
export function kvsImportStep(deps: TeamStoreDeps, budgetMs = 15_000): DataStep {
  return { id: KVS_IMPORT_STEP, run: () => importKvsData(deps, budgetMs) };
}

/** Runs (or continues) the import; true when it is complete. */
export async function importKvsData(deps: TeamStoreDeps, budgetMs = 15_000): Promise<boolean> {
  if ((await deps.kv.get(KVS_IMPORT_DONE_KEY)) !== undefined) return true;
  const deadline = deps.now() + budgetMs;
  const saved = v.safeParse(ProgressSchema, await deps.kv.get(KVS_IMPORT_PROGRESS_KEY));
  const progress: Progress = saved.success ? saved.output : { done: [], counts: {}, skipped: [] };
  const save = () => deps.kv.set(KVS_IMPORT_PROGRESS_KEY, progress);
  const apply = async (ops: TeamOp[]): Promise<boolean> => {
    for (let i = 0; i < ops.length; i += 500) {
      const chunk = ops.slice(i, i + 500);
      const results = await applyOps(deps, JIRA_APP_PERSON_ID, chunk, { system: true, deadlineMs: deadline });
      if (results.length < chunk.length) return false; // out of time: this page again next run
      const kindOf = new Map(chunk.map((op) => [op.opId, op.kind]));
      for (const r of results) {
        const kind = kindOf.get(r.opId);
        if (r.status === 'applied' && kind) progress.counts[kind] = (progress.counts[kind] ?? 0) + 1;
      }
    }
    return true;
  };
  const skip = (key: string, message: string) => {
    if (!progress.skipped.some((s) => s.key === key)) progress.skipped.push({ key, message });
  };

  for (const step of STEPS) {
    if (progress.done.includes(step)) continue;
    if (step === 'organisation' || step === 'cycles') {
      const ops = step === 'organisation' ? await organisationOps(deps, skip) : await missingCycleOps(deps);
      if (!(await apply(ops))) return false;
    } else {
      const prefix = step === 'plans' ? LEGACY_KEYS.planPrefix : LEGACY_KEYS.evidencePrefix;
      for (;;) {
        if (deps.now() > deadline) return false;
        let query = deps.kv
          .query()
          .where('key', { condition: 'BEGINS_WITH', values: [prefix] })
          .limit(PAGE);
        if (progress.cursor) query = query.cursor(progress.cursor);
        const page = await query.getMany<unknown>();
        const ops =
          step === 'plans'
            ? page.results.flatMap((r) => planOps(r.key, r.value, skip))
            : page.results.flatMap((r) => evidenceOps(r.key, r.value, skip));
        if (!(await apply(ops))) return false;
        if (!page.nextCursor) break;
        progress.cursor = page.nextCursor;
        await save();
      }
    }
    progress.done.push(step);
    delete progress.cursor;
    await save();
  }
  const record: ImportRecord = {
    at: new Date(deps.now()).toISOString(),
    counts: progress.counts,
    skipped: progress.skipped,
  };
  await deps.kv.set(KVS_IMPORT_DONE_KEY, record);
  if (record.skipped.length > 0)
    console.warn('cxplan: KVS records not moved into the team store', JSON.stringify(record.skipped));
  return true;
}

/** An operation creating an entity, its id derived from what it moves (a re-run is the same operation). */
function createOp(kind: TeamKind, body: Record<string, unknown>): TeamOp {
  const id = String(body.id);
  const digest = createHash('sha256').update(`${kind}\u0000${id}`).digest('base64url').slice(0, 32);
  return {
    opId: `kvs-import:${digest}`,
    kind,
    id,
    baseVersion: 0,
    type: 'put',
    fields: diffBodies(kind, undefined, body),
  };
}

/** Parses one item with its schema; a failure is recorded against the KVS key and the item left out. */
function parsed<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  key: string,
  skip: (key: string, message: string) => void,
): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  skip(key, `${v.getDotPath(issue) ?? 'value'}: ${issue.message}`);
  return undefined;
}

async function organisationOps(
  deps: TeamStoreDeps,
  skip: (key: string, message: string) => void,
): Promise<TeamOp[]> {
  const key = LEGACY_KEYS.organisation;
  const raw = await deps.kv.get<unknown>(key);
  if (raw === undefined) return [];
  const config = parsed(LegacyConfigSchema, raw, key, skip);
  if (!config) return [];
  if (config.jira !== undefined && (await deps.kv.get(JIRA_TARGET_KEY)) === undefined)
    await deps.kv.set(JIRA_TARGET_KEY, config.jira);
  const each = <S extends v.GenericSchema>(list: unknown[], schema: S, kind: TeamKind, path: string) =>
    list.flatMap((item, i) => {
      const body = parsed(schema, item, `${key} ${path}.${i}`, skip);
      return body ? [createOp(kind, body as Record<string, unknown>)] : [];
    });
  return [
    createOp('organisation', { id: 'organisation', ...config.organisation }),
    ...each(config.departments, DepartmentSchema, 'departments', 'departments'),
    ...each(config.people, PersonSchema, 'people', 'people'),
    ...each(config.cycles, CycleSchema, 'cycles', 'cycles'),
  ];
}

/** The operations for one `cxplan-plan:*` record: a cycle's goals, or one goal's actions. */
function planOps(key: string, value: unknown, skip: (key: string, message: string) => void): TeamOp[] {
  if (key === LEGACY_KEYS.currentCycle) return [];
  const each = <S extends v.GenericSchema>(list: unknown, schema: S, kind: TeamKind, path: string) =>
    (Array.isArray(list) ? list : []).flatMap((item, i) => {
      const body = parsed(schema, item, `${key} ${path}.${i}`, skip);
      return body ? [createOp(kind, body as Record<string, unknown>)] : [];
    });
  if (/^cxplan-plan:.+:goals$/.test(key)) {
    const record = (value ?? {}) as { orgGoals?: unknown; deptGoals?: unknown };
    return [
      ...each(record.orgGoals, OrgGoalSchema, 'orgGoals', 'orgGoals'),
      ...each(record.deptGoals, DeptGoalSchema, 'deptGoals', 'deptGoals'),
    ];
  }
  if (/^cxplan-plan:.+:actions:.+$/.test(key)) return each(value, ActionSchema, 'actions', 'actions');
  skip(key, 'not a plan record this version knows');
  return [];
}

/** The operation for one `cxplan-evidence:*` record: the clip, with the intent it was captured as. */
function evidenceOps(key: string, value: unknown, skip: (key: string, message: string) => void): TeamOp[] {
  const record = parsed(LegacyEvidenceSchema, value, key, skip);
  if (!record) return [];
  const evidence = parsed(
    EvidenceSchema,
    {
      ...(record.evidence as Record<string, unknown>),
      ...(record.intent !== undefined &&
        (record.evidence as { intent?: unknown }).intent === undefined && { intent: record.intent }),
    },
    key,
    skip,
  );
  return evidence ? [createOp('evidence', evidence as unknown as Record<string, unknown>)] : [];
}

/**
 * Cycles the moved plans use that the organisation configuration never described: recreated so every replica can
 * show their goals, named by their id and spanning the years of the plan's due dates; the cycle older versions
 * synced (`cxplan-plan:current-cycle`) is the active one, the others closed.
 */
async function missingCycleOps(deps: TeamStoreDeps): Promise<TeamOp[]> {
  const known = new Set((await readAllStates(deps.sql, 'cycles')).keys());
  const current = await deps.kv.get<string>(LEGACY_KEYS.currentCycle);
  const dates = new Map<string, string[]>();
  for (const kind of ['deptGoals', 'actions', 'orgGoals'] as const) {
    for (const state of (await readAllStates(deps.sql, kind)).values()) {
      const body = state.body as { cycleId?: unknown; due?: unknown; metric?: { due?: unknown } };
      if (typeof body.cycleId !== 'string' || known.has(body.cycleId)) continue;
      const list = dates.get(body.cycleId) ?? [];
      for (const d of [body.due, body.metric?.due]) if (typeof d === 'string') list.push(d);
      dates.set(body.cycleId, list);
    }
  }
  const thisYear = new Date(deps.now()).toISOString().slice(0, 4);
  return [...dates].map(([id, list]) => {
    const years = list.map((d) => d.slice(0, 4)).sort();
    const cycle: Cycle = {
      id,
      name: id,
      start: `${years[0] ?? thisYear}-01-01`,
      end: `${years.at(-1) ?? thisYear}-12-31`,
      status: id === current ? 'active' : 'closed',
    };
    return createOp('cycles', cycle);
  });
}
