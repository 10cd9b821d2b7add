import { type Evidence, parseTeamBody, type TeamKind } from '@cxplan/core';
import { sql } from '@forge/sql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ForgeSqlInstallation, installForgeSql } from '../testing/forge-sql-mariadb';
import { MemoryKvs } from '../testing/memory-kvs';
import { readStates } from './entity-rows';
import { importKvsData, KVS_IMPORT_DONE_KEY, LEGACY_KEYS } from './kvs-import';
import { ensureSchema, SCHEMA_MARKER_KEY } from './setup';
import { select } from './sql';
import { ENTITY_TABLES, EVIDENCE_TABLE } from './tables';
import { JIRA_TARGET_KEY } from './team-kvs';
import { setupDeps, type TeamStoreDeps } from './team-store';

/** An installation of the previous version, as its KVS holds it: configuration, two cycles' plans, 250 clips. */
function legacyKvs(kv: MemoryKvs): Promise<unknown> {
  const metric = (name: string, due: string) => ({
    name,
    unit: '%',
    direction: 'increase',
    baseline: 60,
    target: 75,
    due,
    readings: [
      {
        id: `${name}-r1`,
        value: 63,
        at: '2026-10-01T09:00:00.000Z',
        recordedAt: '2026-10-01T09:05:00.000Z',
        by: 'dan-acc',
      },
    ],
  });
  const writes: Array<[string, unknown]> = [
    [
      LEGACY_KEYS.organisation,
      {
        organisation: { name: 'Acme', businessObjectives: [{ id: 'bo-1', name: 'Keep customers' }] },
        departments: [
          { id: 'exec', name: 'Executive', managerId: 'bea-acc' },
          { id: 'sales', name: 'Sales', managerId: 'dan-acc', parentId: 'exec' },
        ],
        people: [
          { id: 'bea-acc', name: 'Bea Boss', jiraAccountId: 'bea-acc', role: 'executive' },
          {
            id: 'dan-acc',
            name: 'Dan Desk',
            jiraAccountId: 'dan-acc',
            role: 'manager',
            departmentId: 'sales',
          },
          {
            id: 'sam-acc',
            name: 'Sam Staff',
            jiraAccountId: 'sam-acc',
            role: 'staff',
            departmentId: 'sales',
          },
        ],
        cycles: [{ id: 'c-2026', name: '2026', start: '2026-01-01', end: '2026-12-31', status: 'active' }],
        jira: { projectKey: 'CX', epicIssueTypeId: '10000', actionIssueTypeId: '10001' },
      },
    ],
    [LEGACY_KEYS.currentCycle, 'c-2026'],
    [
      'cxplan-plan:c-2026:goals',
      {
        orgGoals: [
          {
            id: 'og-1',
            cycleId: 'c-2026',
            title: 'Answers first time',
            metric: metric('FCR', '2026-12-31'),
            evidenceIds: ['clip-1', 'clip-2'],
          },
        ],
        deptGoals: [
          {
            id: 'dg-1',
            cycleId: 'c-2026',
            departmentId: 'sales',
            title: 'Resolve on first contact',
            orgGoalId: 'og-1',
            businessObjectiveId: 'bo-1',
            metric: metric('FCR sales', '2026-12-31'),
            ownerId: 'sam-acc',
            verification: {
              status: 'verified',
              verifierId: 'bea-acc',
              verifiedBy: 'bea-acc',
              verifiedAt: '2026-09-02T10:00:00.000Z',
            },
            verificationHistory: [
              { type: 'submitted', by: 'dan-acc', at: '2026-09-01T10:00:00.000Z', verifierId: 'bea-acc' },
              { type: 'verified', by: 'bea-acc', at: '2026-09-02T10:00:00.000Z' },
            ],
            jira: { issueKey: 'CX-1', issueId: '10001', syncedAt: '2026-09-02T11:00:00.000Z' },
          },
          { id: 'dg-2', cycleId: 'c-2026', departmentId: 'sales', title: 'Shorter queues' },
        ],
      },
    ],
    [
      'cxplan-plan:c-2026:actions:dg-1',
      [
        {
          id: 'a-1',
          cycleId: 'c-2026',
          deptGoalId: 'dg-1',
          title: 'Publish the runbook',
          status: 'done',
          due: '2026-10-31',
          jira: { issueKey: 'CX-2', issueId: '10002' },
        },
        {
          id: 'a-2',
          cycleId: 'c-2026',
          deptGoalId: 'dg-1',
          title: 'Train the team',
          status: 'in-progress',
          ownerId: 'sam-acc',
        },
      ],
    ],
    ['cxplan-plan:c-2026:actions:dg-2', []],
    // The cycle before: never described in the configuration (older versions did not require it).
    [
      'cxplan-plan:c-2025:goals',
      {
        orgGoals: [],
        deptGoals: [
          {
            id: 'dg-0',
            cycleId: 'c-2025',
            departmentId: 'sales',
            title: 'Fewer complaints',
            metric: metric('Complaints', '2025-12-31'),
          },
        ],
      },
    ],
    [
      'cxplan-plan:c-2025:actions:dg-0',
      [
        {
          id: 'a-0',
          cycleId: 'c-2025',
          deptGoalId: 'dg-0',
          title: 'Call back',
          due: '2025-06-30',
          status: 'done',
        },
      ],
    ],
  ];
  for (let i = 1; i <= 250; i++) {
    const evidence = {
      id: `clip-${i}`,
      text: `Customer ${i} could not find the refund form`,
      sourceKind: i % 5 === 0 ? 'partner' : 'customer',
      origin: {
        url: `https://reviews.example/${i}`,
        title: `Review ${i}`,
        capturedBy: i % 2 === 0 ? 'Sam Staff' : 'Ola from Support',
        capturedAt: '2026-08-01T10:00:00.000Z',
        via: 'clip',
      },
      ...(i % 3 === 0 && { eventId: 'ev-refund', sentiment: -2, stageId: 'st-pay' }),
      drivers: [],
      target: {
        source: `https://reviews.example/${i}`,
        quote: { type: 'TextQuoteSelector', exact: `could not find the refund form ${i}` },
      },
    };
    writes.push([
      `cxplan-evidence:client-${String(i).padStart(3, '0')}`,
      {
        evidence,
        intent: i % 7 === 0 ? 'goal' : 'feedback',
        hash: 'h',
        receivedAt: '2026-08-01T10:00:01.000Z',
        updatedAt: '2026-08-01T10:00:01.000Z',
      },
    ]);
  }
  // A record damaged or from a version that never shipped: reported, left in KVS, not moved.
  writes.push(['cxplan-evidence:client-bad', { evidence: { id: 'clip-bad', text: '' }, intent: 'feedback' }]);
  return Promise.all(writes.map(([key, value]) => kv.set(key, value)));
}

let db: ForgeSqlInstallation;
let kv: MemoryKvs;
let deps: TeamStoreDeps;

beforeEach(async () => {
  db = await installForgeSql();
  kv = new MemoryKvs();
  deps = { sql, kv, now: Date.now, newId: () => crypto.randomUUID() };
  await legacyKvs(kv);
});
afterEach(() => db.uninstall());

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tables: Array<[string, string]> = [...Object.entries(ENTITY_TABLES), ['evidence', EVIDENCE_TABLE]];
  for (const [kind, table] of tables) {
    const [row] = await select<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM ${table}`);
    if (Number(row?.n) > 0) out[kind] = Number(row?.n);
  }
  return out;
}

async function versions(): Promise<string> {
  const rows: string[] = [];
  for (const table of [...Object.values(ENTITY_TABLES), EVIDENCE_TABLE]) {
    for (const r of await select<{ id: string; version: number }>(sql, `SELECT id, version FROM ${table}`))
      rows.push(`${table}:${r.id}:${r.version}`);
  }
  return rows.sort().join('\n');
}

/** The body stored for an entity, as the core parses it. */
async function body(kind: TeamKind, id: string): Promise<Record<string, unknown> | undefined> {
  const state = (await readStates(sql, kind, [id])).get(id);
  const parsed = state && parseTeamBody(kind, state.body);
  return parsed?.success ? (parsed.output as Record<string, unknown>) : undefined;
}

/** What the move itself writes. */
const MOVED_COUNTS = {
  organisation: 1,
  departments: 2,
  people: 3,
  cycles: 2,
  orgGoals: 1,
  deptGoals: 3,
  actions: 3,
  evidence: 250,
};
/** What the store then holds: the moved data and the default lifecycle stages every team starts with (setup.ts). */
// Every new store also holds the default lifecycle stages and settings (setup.ts seeds them).
const EXPECTED_COUNTS = { ...MOVED_COUNTS, stages: 7, settings: 1 };

describe('moving an older installation’s KVS data into the team store (real MariaDB, KVS with Forge’s paged queries)', () => {
  it('given a KVS holding configuration, two cycles’ plans and 250 clips, when the store is set up, then everything is there as it was', async () => {
    expect(await ensureSchema(setupDeps(deps))).toBe(true);
    expect(await counts()).toEqual(EXPECTED_COUNTS);

    // Bodies: verification, history, issue links and readings kept exactly; clips keep their capturer's name.
    const legacyGoals = (
      await kv.get<{ deptGoals: Array<Record<string, unknown>> }>('cxplan-plan:c-2026:goals')
    )?.deptGoals;
    expect(await body('deptGoals', 'dg-1')).toEqual(
      parseTeamBody('deptGoals', legacyGoals?.[0]).success &&
        (parseTeamBody('deptGoals', legacyGoals?.[0]) as { output: unknown }).output,
    );
    const legacyActions = await kv.get<Array<Record<string, unknown>>>('cxplan-plan:c-2026:actions:dg-1');
    expect(await body('actions', 'a-1')).toEqual(
      (parseTeamBody('actions', legacyActions?.[0]) as { output: unknown }).output,
    );
    const stored = await readStates(
      sql,
      'evidence',
      Array.from({ length: 250 }, (_, i) => `clip-${i + 1}`),
    );
    expect(stored.size).toBe(250);
    for (let i = 1; i <= 250; i++) {
      const legacy = await kv.get<{ evidence: Evidence; intent: string }>(
        `cxplan-evidence:client-${String(i).padStart(3, '0')}`,
      );
      const clip = stored.get(`clip-${i}`)?.body as unknown as Evidence;
      const expected = parseTeamBody('evidence', { ...legacy?.evidence, intent: legacy?.intent });
      expect(expected.success && clip).toEqual(expected.output);
      expect(clip.origin.capturedBy).toBe(legacy?.evidence.origin.capturedBy);
      expect(clip.origin.capturedById).toBeUndefined();
    }
    // The organisation and the Jira project choice.
    expect(await body('organisation', 'organisation')).toMatchObject({ name: 'Acme' });
    expect(await kv.get(JIRA_TARGET_KEY)).toEqual({
      projectKey: 'CX',
      epicIssueTypeId: '10000',
      actionIssueTypeId: '10001',
    });
    // The cycle the configuration never described is recreated from the plan's dates; the synced one stays active.
    expect(await body('cycles', 'c-2025')).toEqual({
      id: 'c-2025',
      name: 'c-2025',
      start: '2025-01-01',
      end: '2025-12-31',
      status: 'closed',
    });
    expect(await body('cycles', 'c-2026')).toMatchObject({ status: 'active' });
    // Heat-map counts follow the moved clips (every third clip is on the refund event, very negative).
    const [heat] = await select<{ counts: string }>(
      sql,
      "SELECT counts FROM cx_heat_count WHERE event_id = 'ev-refund'",
    );
    expect(heat?.counts).toMatch(/:83$/);
    // Done, with what was moved and what could not be, named.
    expect(await kv.get(KVS_IMPORT_DONE_KEY)).toMatchObject({
      counts: MOVED_COUNTS,
      skipped: [{ key: 'cxplan-evidence:client-bad', message: expect.stringContaining('text') }],
    });
    expect(await kv.get(SCHEMA_MARKER_KEY)).toMatch(/\+kvs-import-v1$/);
    expect(kv.keys('cxplan-evidence:')).toHaveLength(251); // the old records are left in place
  });

  it('given the move already ran, when it runs again, then nothing is added or changed', async () => {
    expect(await ensureSchema(setupDeps(deps))).toBe(true);
    const before = await versions();
    await kv.delete(KVS_IMPORT_DONE_KEY); // even forgetting it ran: every operation is a duplicate
    expect(await importKvsData(deps)).toBe(true);
    expect(await versions()).toBe(before);
    expect(await counts()).toEqual(EXPECTED_COUNTS);
  });

  it('given a run killed half-way through the clips, when the next request sets the store up, then it completes with nothing twice', async () => {
    let pages = 0;
    const query = kv.query.bind(kv);
    kv.query = () => {
      const builder = query();
      const getMany = builder.getMany.bind(builder);
      builder.getMany = async <T>() => {
        if (++pages === 4) throw new Error('invocation killed'); // plans page, clip pages 1 and 2, then dies
        return getMany<T>();
      };
      return builder;
    };
    await expect(ensureSchema(setupDeps(deps))).rejects.toThrow('invocation killed');
    expect((await counts()).evidence).toBe(200);
    expect(await kv.get(KVS_IMPORT_DONE_KEY)).toBeUndefined();

    expect(await ensureSchema(setupDeps(deps))).toBe(true);
    expect(await counts()).toEqual(EXPECTED_COUNTS);
    expect((await versions()).split('\n').every((row) => row.endsWith(':1'))).toBe(true);
    expect(await kv.get(KVS_IMPORT_DONE_KEY)).toMatchObject({ counts: MOVED_COUNTS });
  });

  it('given a run out of time after its first page of clips, when it is asked, then it says "not yet" and the next run finishes', async () => {
    let now = Date.now();
    let reads = 0;
    const query = kv.query.bind(kv);
    kv.query = () => {
      const builder = query();
      const getMany = builder.getMany.bind(builder);
      builder.getMany = async <T>() => {
        if (++reads === 2) now += 60_000; // the first clip page took the rest of the budget
        return getMany<T>();
      };
      return builder;
    };
    const timed: TeamStoreDeps = { ...deps, now: () => now };
    expect(await ensureSchema(setupDeps(timed))).toBe(false);
    expect((await counts()).evidence ?? 0).toBeLessThan(250);
    expect(await ensureSchema(setupDeps(timed))).toBe(true);
    expect(await counts()).toEqual(EXPECTED_COUNTS);
  });
});
