import {
  type Action,
  canonicalJson,
  describeErrors,
  type PlanSlice,
  PlanSliceSchema,
  parseWith,
} from '@cxplan/core';

/** The part of `@forge/kvs` the plan store needs. */
export interface PlanKeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

const CURRENT_KEY = 'cxplan-plan:current-cycle';
const goalsKey = (cycleId: string): string => `cxplan-plan:${cycleId}:goals`;
const actionsKey = (cycleId: string, goalId: string): string => `cxplan-plan:${cycleId}:actions:${goalId}`;

/** Forge KVS refuses values over 240 KiB; a goal's actions are kept under that with room to spare. */
const MAX_VALUE_BYTES = 240 * 1024;

interface GoalsRecord {
  readonly orgGoals: unknown[];
  readonly deptGoals: unknown[];
}

/**
 * The plan of the current cycle in Forge KVS, parsed with the core's schema on every read and write. Goals sit
 * in one record, each goal's actions in their own (KVS values are limited to 240 KiB), and only records that
 * changed are written.
 */
export class PlanStore {
  constructor(private readonly kvs: PlanKeyValueStore) {}

  /** The cycle being synced, if a plan was imported. */
  async currentCycleId(): Promise<string | undefined> {
    return this.kvs.get<string>(CURRENT_KEY);
  }

  /** Loads a cycle's plan; undefined when none was stored; throws naming the field when a record is unreadable. */
  async load(cycleId: string): Promise<PlanSlice | undefined> {
    const goals = await this.kvs.get<GoalsRecord>(goalsKey(cycleId));
    if (!goals) return undefined;
    const actions: unknown[] = [];
    for (const goal of goals.deptGoals as Array<{ id?: unknown }>) {
      if (typeof goal.id !== 'string') continue;
      actions.push(...((await this.kvs.get<unknown[]>(actionsKey(cycleId, goal.id))) ?? []));
    }
    const parsed = parseWith(PlanSliceSchema, { cycleId, ...goals, actions }, 'stored plan');
    if (!parsed.ok)
      throw new Error(`The stored plan of cycle ${cycleId} is unreadable: ${describeErrors(parsed.errors)}`);
    return parsed.value;
  }

  /**
   * Validates and saves a plan, writing only the records that differ from `previous`, and makes its cycle the
   * current one. Invalid input is refused with field errors and nothing stored changes.
   */
  async save(
    input: unknown,
    previous?: PlanSlice,
  ): Promise<{ ok: true; plan: PlanSlice } | { ok: false; message: string }> {
    const parsed = parseWith(PlanSliceSchema, input, 'plan');
    if (!parsed.ok) return { ok: false, message: describeErrors(parsed.errors) };
    const plan = parsed.value;
    const byGoal = groupActions(plan.actions);
    const before =
      previous?.cycleId === plan.cycleId ? groupActions(previous.actions) : new Map<string, Action[]>();
    const records: Array<[string, unknown]> = [];
    const goalsRecord = { orgGoals: plan.orgGoals, deptGoals: plan.deptGoals };
    if (
      !previous ||
      canonicalJson(goalsRecord) !==
        canonicalJson({ orgGoals: previous.orgGoals, deptGoals: previous.deptGoals })
    ) {
      records.push([goalsKey(plan.cycleId), goalsRecord]);
    }
    for (const goal of plan.deptGoals) {
      const actions = byGoal.get(goal.id) ?? [];
      if (!previous || canonicalJson(actions) !== canonicalJson(before.get(goal.id) ?? [])) {
        records.push([actionsKey(plan.cycleId, goal.id), actions]);
      }
    }
    for (const [key, value] of records) {
      const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
      if (bytes > MAX_VALUE_BYTES) {
        return {
          ok: false,
          message: `${key} would take ${bytes} bytes, over Forge storage's 240 KiB per value; split the goal's actions`,
        };
      }
    }
    for (const [key, value] of records) await this.kvs.set(key, value);
    const kept = new Set(plan.deptGoals.map((g) => g.id));
    for (const goal of previous?.cycleId === plan.cycleId ? previous.deptGoals : []) {
      if (!kept.has(goal.id)) await this.kvs.delete(actionsKey(plan.cycleId, goal.id));
    }
    if ((await this.kvs.get<string>(CURRENT_KEY)) !== plan.cycleId)
      await this.kvs.set(CURRENT_KEY, plan.cycleId);
    return { ok: true, plan };
  }
}

function groupActions(actions: readonly Action[]): Map<string, Action[]> {
  const map = new Map<string, Action[]>();
  for (const action of actions) {
    const list = map.get(action.deptGoalId) ?? [];
    list.push(action);
    map.set(action.deptGoalId, list);
  }
  return map;
}
