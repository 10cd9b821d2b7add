/**
 * fast-check arbitraries for the cxplan model, for property tests anywhere in the repo. Every value they make is
 * already in the schemas' output form (trimmed text, defaults filled), so `parse(x)` equals `x`; the workspace
 * arbitrary is also referentially consistent (`findDanglingReferences` finds nothing).
 * Test-only: nothing in the product imports this file.
 */
import * as fc from 'fast-check';
import * as v from 'valibot';
import type { Cycle } from '../model/cycle';
import { CycleSchema } from '../model/cycle';
import type { ClipTarget, Evidence, Origin } from '../model/evidence';
import { ClipTargetSchema, EvidenceSchema, OriginSchema } from '../model/evidence';
import type { CustomerEvent, Stage, Touchpoint } from '../model/framework';
import { CustomerEventSchema, StageSchema, TouchpointSchema } from '../model/framework';
import type { Action, Contribution, DeptGoal, JiraLink, OrgGoal, Session } from '../model/goals';
import {
  ActionSchema,
  ContributionSchema,
  DeptGoalSchema,
  JiraLinkSchema,
  OrgGoalSchema,
  SessionSchema,
} from '../model/goals';
import type { Reading, SuccessMetric } from '../model/metric';
import { ReadingSchema, SuccessMetricSchema } from '../model/metric';
import type { BusinessObjective, Department, Organisation, Person } from '../model/organisation';
import {
  BusinessObjectiveSchema,
  DepartmentSchema,
  OrganisationSchema,
  PersonSchema,
} from '../model/organisation';
import type { VerificationEvent, VerificationState } from '../model/verification-state';
import { VerificationEventSchema, VerificationStateSchema } from '../model/verification-state';
import {
  type Settings,
  SettingsSchema,
  WORKSPACE_SCHEMA_VERSION,
  type Workspace,
  WorkspaceSchema,
} from '../model/workspace';

/**
 * Passes generated values through their schema, so they are exactly what the schema outputs (fields added to the
 * model later with a default are filled in) and a generator that makes an invalid value fails loudly.
 */
const parsedBy =
  <S extends v.GenericSchema>(schema: S) =>
  (value: unknown): v.InferOutput<S> =>
    v.parse(schema, value);

/** An id as the schemas accept it: non-empty, no surrounding whitespace. */
export const arbId: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);

/** A trimmed, non-empty line of text, including non-ASCII characters. */
export const arbName: fc.Arbitrary<string> = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

/** Free text (may be empty, may have surrounding whitespace: notes are not trimmed). */
export const arbNote: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', maxLength: 60 });

/** A finite number that survives JSON (no NaN, no infinities, no negative zero). */
export const arbFinite: fc.Arbitrary<number> = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
  .map((n) => (n === 0 ? 0 : n));

const arbInstant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});

/** An ISO date-time such as `2026-11-23T09:30:00.000Z`. */
export const arbDateTime: fc.Arbitrary<string> = arbInstant.map((d) => d.toISOString());

/** A calendar date `YYYY-MM-DD`. */
export const arbDate: fc.Arbitrary<string> = arbInstant.map((d) => d.toISOString().slice(0, 10));

const arbLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

/** An absolute http(s) URL. */
export const arbUrl: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.array(arbLabel, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'org', 'example'),
    fc.array(arbLabel, { maxLength: 3 }),
  )
  .map(([scheme, host, tld, path]) => `${scheme}://${host.join('.')}.${tld}/${path.join('/')}`);

/** An e-mail address the schema accepts. */
export const arbEmail: fc.Arbitrary<string> = fc
  .tuple(arbLabel, arbLabel, fc.constantFrom('com', 'org', 'io'))
  .map(([local, host, tld]) => `${local}@${host}.${tld}`);

/** Ids the entities being generated may refer to; an empty pool means the reference is left out. */
export interface RefPools {
  departments: readonly string[];
  people: readonly string[];
  cycles: readonly string[];
  stages: readonly string[];
  events: readonly string[];
  touchpoints: readonly string[];
  evidence: readonly string[];
  orgGoals: readonly string[];
  deptGoals: readonly string[];
  businessObjectives: readonly string[];
}

const EMPTY_POOLS: RefPools = {
  departments: [],
  people: [],
  cycles: [],
  stages: [],
  events: [],
  touchpoints: [],
  evidence: [],
  orgGoals: [],
  deptGoals: [],
  businessObjectives: [],
};

/** Pools of random ids, for generating one entity on its own (its references will dangle). */
export const arbRefPools: fc.Arbitrary<RefPools> = fc.record({
  departments: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  people: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  cycles: fc.uniqueArray(arbId, { minLength: 1, maxLength: 2 }),
  stages: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  events: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  touchpoints: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  evidence: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  orgGoals: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  deptGoals: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
  businessObjectives: fc.uniqueArray(arbId, { minLength: 1, maxLength: 3 }),
});

/** One id from a non-empty pool. */
const oneOf = (pool: readonly string[]): fc.Arbitrary<string> => fc.constantFrom(...pool);
/** A duplicate-free selection from a pool (possibly empty). */
const someOf = (pool: readonly string[]): fc.Arbitrary<string[]> =>
  pool.length === 0 ? fc.constant([]) : fc.subarray([...pool]);

/**
 * A record whose `optional` keys are sometimes absent (never present with `undefined`, which JSON would drop).
 * Optional references whose pool is empty are left out entirely.
 */
function withOptional<R extends object, O extends object>(
  required: { [K in keyof R]: fc.Arbitrary<R[K]> },
  optional: { [K in keyof O]: fc.Arbitrary<O[K]> | null },
): fc.Arbitrary<R & Partial<O>> {
  const present = Object.fromEntries(Object.entries(optional).filter(([, a]) => a !== null)) as {
    [K in keyof O]: fc.Arbitrary<O[K]>;
  };
  return fc
    .tuple(fc.record(required), fc.record(present, { requiredKeys: [] }))
    .map(([r, o]) => ({ ...r, ...o }) as R & Partial<O>);
}

const maybe = (pool: readonly string[]): fc.Arbitrary<string> | null =>
  pool.length === 0 ? null : oneOf(pool);

/** A business objective. */
export const arbBusinessObjective = (id: fc.Arbitrary<string> = arbId): fc.Arbitrary<BusinessObjective> =>
  withOptional({ id, name: arbName }, { description: arbNote }).map(parsedBy(BusinessObjectiveSchema));

/** The organisation with objectives under the given ids. */
export const arbOrganisation = (objectiveIds?: readonly string[]): fc.Arbitrary<Organisation> =>
  fc
    .record({
      name: arbName,
      businessObjectives:
        objectiveIds === undefined
          ? fc.uniqueArray(arbBusinessObjective(), { maxLength: 3, selector: (o) => o.id })
          : fc.tuple(...objectiveIds.map((id) => arbBusinessObjective(fc.constant(id)))),
    })
    .map(parsedBy(OrganisationSchema));

/** A department referring to people and departments from the pools. */
export const arbDepartment = (
  pools: RefPools = EMPTY_POOLS,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<Department> =>
  withOptional(
    { id, name: arbName },
    {
      managerId: maybe(pools.people),
      upLineManagerId: maybe(pools.people),
      parentId: maybe(pools.departments),
    },
  ).map(parsedBy(DepartmentSchema));

/** A person. */
export const arbPerson = (
  pools: RefPools = EMPTY_POOLS,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<Person> =>
  withOptional(
    { id, name: arbName, role: fc.constantFrom('staff', 'manager', 'executive', 'partner') },
    { email: arbEmail, jiraAccountId: arbId, departmentId: maybe(pools.departments) },
  ).map(parsedBy(PersonSchema));

/** A planning cycle (start on or before end). */
export const arbCycle = (
  pools: RefPools = EMPTY_POOLS,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<Cycle> =>
  withOptional(
    {
      id,
      name: arbName,
      dates: fc.tuple(arbDate, arbDate).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      status: fc.constantFrom('planning', 'active', 'closed'),
    },
    { previousCycleId: maybe(pools.cycles) },
  )
    .map(({ dates, ...c }) => ({ ...c, start: dates[0], end: dates[1] }) as Cycle)
    .map(parsedBy(CycleSchema));

/** A lifecycle stage. */
export const arbStage = (id: fc.Arbitrary<string> = arbId): fc.Arbitrary<Stage> =>
  fc.record({ id, name: arbName, order: fc.integer({ min: -5, max: 50 }) }).map(parsedBy(StageSchema));

const arbDrivers = fc.subarray(['loyalty', 'retention', 'pain'] as const).map((d) => [...d]);

/** A customer event in one of the pooled stages. */
export const arbCustomerEvent = (
  pools: RefPools,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<CustomerEvent> =>
  withOptional(
    { id, stageId: oneOf(pools.stages), name: arbName, drivers: arbDrivers },
    { description: arbNote },
  ).map(parsedBy(CustomerEventSchema));

/** A touchpoint in one of the pooled stages. */
export const arbTouchpoint = (pools: RefPools, id: fc.Arbitrary<string> = arbId): fc.Arbitrary<Touchpoint> =>
  withOptional(
    {
      id,
      name: arbName,
      stageId: oneOf(pools.stages),
      channel: arbName,
      state: fc.constantFrom('current', 'desired'),
      eventIds: someOf(pools.events),
    },
    {
      ownerDepartmentId: maybe(pools.departments),
      timing: arbNote,
      what: arbNote,
      whom: arbNote,
      how: arbNote,
      when: arbNote,
    },
  ).map(parsedBy(TouchpointSchema));

/** A W3C-compatible clip target. */
export const arbClipTarget: fc.Arbitrary<ClipTarget> = withOptional(
  {
    source: arbUrl,
    quote: withOptional(
      {
        type: fc.constant('TextQuoteSelector' as const),
        exact: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      },
      { prefix: arbNote, suffix: arbNote },
    ),
  },
  {
    position: fc
      .tuple(fc.nat(10_000), fc.nat(500))
      .map(([start, len]) => ({ type: 'TextPositionSelector' as const, start, end: start + len })),
    frameUrl: arbUrl,
  },
).map(parsedBy(ClipTargetSchema));

/** Where and by whom evidence was captured. */
export const arbOrigin: fc.Arbitrary<Origin> = withOptional(
  {
    capturedBy: arbName,
    capturedAt: arbDateTime,
    via: fc.constantFrom('clip', 'import', 'manual', 'jira'),
  },
  {
    url: arbUrl,
    title: arbNote,
    file: arbNote,
    line: fc.integer({ min: 1, max: 100_000 }),
    givenAt: arbDateTime,
  },
).map(parsedBy(OriginSchema));

/** A piece of evidence tagged with pooled stages, events and touchpoints. */
export const arbEvidence = (
  pools: RefPools = EMPTY_POOLS,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<Evidence> =>
  withOptional(
    {
      id,
      text: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
      sourceKind: fc.constantFrom('customer', 'partner', 'manager', 'internal'),
      origin: arbOrigin,
      drivers: arbDrivers,
    },
    {
      partnerName: arbName,
      segment: arbName,
      stageId: maybe(pools.stages),
      eventId: maybe(pools.events),
      touchpointId: maybe(pools.touchpoints),
      sentiment: fc.integer({ min: -2, max: 2 }),
      score: fc.integer({ min: 0, max: 10 }),
      target: arbClipTarget,
      taggedAt: arbDateTime,
    },
  ).map(parsedBy(EvidenceSchema));

/** A reading by one of the pooled people. */
export const arbReading = (pools: RefPools = EMPTY_POOLS): fc.Arbitrary<Reading> =>
  withOptional(
    {
      id: arbId,
      value: arbFinite,
      at: arbDateTime,
      recordedAt: arbDateTime,
      by: pools.people.length === 0 ? arbId : oneOf(pools.people),
    },
    { note: arbNote, corrects: arbId },
  ).map(parsedBy(ReadingSchema));

/** A success metric with a few readings. */
export const arbMetric = (pools: RefPools = EMPTY_POOLS): fc.Arbitrary<SuccessMetric> =>
  fc
    .record({
      name: arbName,
      unit: fc.constantFrom('%', 'pts', 'days', ''),
      direction: fc.constantFrom('increase', 'decrease', 'maintain'),
      baseline: arbFinite,
      target: arbFinite,
      due: arbDate,
      readings: fc.array(arbReading(pools), { maxLength: 3 }),
    })
    .map(parsedBy(SuccessMetricSchema));

/** An organisation goal citing at least one pooled evidence item. */
export const arbOrgGoal = (pools: RefPools, id: fc.Arbitrary<string> = arbId): fc.Arbitrary<OrgGoal> =>
  withOptional(
    {
      id,
      cycleId: oneOf(pools.cycles),
      title: arbName,
      metric: arbMetric(pools),
      evidenceIds: fc.subarray([...pools.evidence], { minLength: 1 }),
      eventIds: someOf(pools.events),
      weight: fc.integer({ min: 0, max: 10 }),
    },
    { description: arbNote, copiedFrom: arbId },
  ).map(parsedBy(OrgGoalSchema));

const person = (pools: RefPools): fc.Arbitrary<string> =>
  pools.people.length === 0 ? arbId : oneOf(pools.people);

/** A verification state (any of the four). */
export const arbVerificationState = (pools: RefPools = EMPTY_POOLS): fc.Arbitrary<VerificationState> =>
  fc
    .oneof(
      fc.constant({ status: 'draft' as const }),
      fc.record({
        status: fc.constant('submitted' as const),
        submittedBy: person(pools),
        submittedAt: arbDateTime,
        verifierId: person(pools),
      }),
      withOptional(
        {
          status: fc.constant('verified' as const),
          verifierId: person(pools),
          verifiedBy: person(pools),
          verifiedAt: arbDateTime,
        },
        { note: arbNote },
      ),
      fc.record({
        status: fc.constant('rejected' as const),
        verifierId: person(pools),
        rejectedBy: person(pools),
        rejectedAt: arbDateTime,
        reason: arbName,
      }),
    )
    .map(parsedBy(VerificationStateSchema));

/** A verification event. */
export const arbVerificationEvent = (pools: RefPools = EMPTY_POOLS): fc.Arbitrary<VerificationEvent> =>
  fc
    .oneof(
      fc.record({
        type: fc.constant('submitted' as const),
        by: person(pools),
        at: arbDateTime,
        verifierId: person(pools),
      }),
      withOptional(
        { type: fc.constant('verified' as const), by: person(pools), at: arbDateTime },
        { note: arbNote },
      ),
      fc.record({
        type: fc.constant('rejected' as const),
        by: person(pools),
        at: arbDateTime,
        reason: arbName,
      }),
      fc.record({
        type: fc.constant('returned-to-draft' as const),
        by: person(pools),
        at: arbDateTime,
        why: fc.constantFrom('metric-edited', 'new-cycle', 'withdrawn'),
      }),
    )
    .map(parsedBy(VerificationEventSchema));

/** A link to a Jira issue. */
export const arbJira: fc.Arbitrary<JiraLink> = withOptional(
  {
    issueKey: fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/), fc.nat(9999)).map(([p, n]) => `${p}-${n}`),
  },
  { issueId: fc.nat().map(String), syncedAt: arbDateTime },
).map(parsedBy(JiraLinkSchema));

/** A department goal in a pooled cycle and department; links may be missing (drafts may be incomplete). */
export const arbDeptGoal = (pools: RefPools, id: fc.Arbitrary<string> = arbId): fc.Arbitrary<DeptGoal> =>
  withOptional(
    {
      id,
      cycleId: oneOf(pools.cycles),
      departmentId: oneOf(pools.departments),
      title: arbName,
      weight: fc.integer({ min: 0, max: 10 }),
      progressSource: fc.constantFrom('metric', 'actions'),
      verification: arbVerificationState(pools),
      verificationHistory: fc.array(arbVerificationEvent(pools), { maxLength: 4 }),
    },
    {
      description: arbNote,
      orgGoalId: maybe(pools.orgGoals),
      businessObjectiveId: maybe(pools.businessObjectives),
      metric: arbMetric(pools),
      ownerId: maybe(pools.people),
      jira: arbJira,
      copiedFrom: arbId,
    },
  ).map(parsedBy(DeptGoalSchema));

/** An action under a pooled department goal. */
export const arbAction = (pools: RefPools, id: fc.Arbitrary<string> = arbId): fc.Arbitrary<Action> =>
  withOptional(
    {
      id,
      cycleId: oneOf(pools.cycles),
      deptGoalId: oneOf(pools.deptGoals),
      title: arbName,
      status: fc.constantFrom('todo', 'in-progress', 'done', 'dropped'),
      weight: fc.integer({ min: 0, max: 10 }),
      evidenceIds: someOf(pools.evidence),
      eventIds: someOf(pools.events),
      touchpointIds: someOf(pools.touchpoints),
    },
    {
      description: arbNote,
      ownerId: maybe(pools.people),
      due: arbDate,
      component: fc.constantFrom('people', 'process', 'technology'),
      metric: arbMetric(pools),
      doneCriterion: arbNote,
      carriedFrom: arbId,
      jira: arbJira,
    },
  ).map(parsedBy(ActionSchema));

/** A strategy or commitment session in a pooled cycle. */
export const arbSession = (pools: RefPools, id: fc.Arbitrary<string> = arbId): fc.Arbitrary<Session> =>
  withOptional(
    {
      id,
      cycleId: oneOf(pools.cycles),
      kind: fc.constantFrom('strategy', 'commitment'),
      date: arbDate,
      attendeeIds: someOf(pools.people),
      briefedIds: someOf(pools.people),
      acknowledgements: fc.array(fc.record({ personId: person(pools), at: arbDateTime }), { maxLength: 3 }),
    },
    { notes: arbNote },
  ).map(parsedBy(SessionSchema));

/** An executive's contribution in a pooled cycle. */
export const arbContribution = (
  pools: RefPools,
  id: fc.Arbitrary<string> = arbId,
): fc.Arbitrary<Contribution> =>
  fc
    .record({
      id,
      cycleId: oneOf(pools.cycles),
      personId: person(pools),
      statement: arbName,
      orgGoalIds: someOf(pools.orgGoals),
    })
    .map(parsedBy(ContributionSchema));

/** Workspace settings. */
export const arbSettings = (pools: RefPools = EMPTY_POOLS): fc.Arbitrary<Settings> =>
  withOptional(
    { verificationOverdueDays: fc.integer({ min: 1, max: 90 }) },
    {
      currentCycleId: maybe(pools.cycles),
      heatMapWeights: fc.dictionary(arbLabel, arbFinite, { maxKeys: 3 }),
    },
  ).map(parsedBy(SettingsSchema));

const ids = (prefix: string, max: number): fc.Arbitrary<string[]> =>
  fc.uniqueArray(arbId, { maxLength: max }).map((xs) => xs.map((x) => `${prefix}-${x}`));

/** Generates one entity per id, each from the factory. */
const each = <T>(
  idList: readonly string[],
  make: (id: fc.Arbitrary<string>) => fc.Arbitrary<T>,
): fc.Arbitrary<T[]> =>
  idList.length === 0 ? fc.constant([]) : fc.tuple(...idList.map((id) => make(fc.constant(id))));

/**
 * A whole, referentially consistent workspace, as `WorkspaceSchema` outputs it. Entities that need a parent
 * (events need a stage, actions a department goal, …) are only made when a parent exists.
 */
export const arbWorkspace: fc.Arbitrary<Workspace> = fc
  .record({
    departments: ids('d', 4),
    people: ids('p', 5),
    cycles: ids('c', 2),
    stages: ids('s', 4),
    events: ids('e', 4),
    touchpoints: ids('t', 3),
    evidence: ids('ev', 5),
    orgGoals: ids('og', 3),
    deptGoals: ids('dg', 4),
    actions: ids('a', 4),
    sessions: ids('ss', 2),
    contributions: ids('co', 2),
    businessObjectives: ids('bo', 3),
  })
  .chain((raw) => {
    // Drop entities whose required parent pool is empty, so every reference resolves.
    const stages = raw.stages;
    const cycles = raw.cycles;
    const events = stages.length === 0 ? [] : raw.events;
    const touchpoints = stages.length === 0 ? [] : raw.touchpoints;
    const orgGoals = cycles.length === 0 || raw.evidence.length === 0 ? [] : raw.orgGoals;
    const deptGoals = cycles.length === 0 || raw.departments.length === 0 ? [] : raw.deptGoals;
    const actions = deptGoals.length === 0 ? [] : raw.actions;
    const sessions = cycles.length === 0 ? [] : raw.sessions;
    const contributions = cycles.length === 0 || raw.people.length === 0 ? [] : raw.contributions;
    const pools: RefPools = { ...raw, events, touchpoints, orgGoals, deptGoals };
    return fc.record({
      schemaVersion: fc.constant(WORKSPACE_SCHEMA_VERSION as typeof WORKSPACE_SCHEMA_VERSION),
      organisation: arbOrganisation(raw.businessObjectives),
      departments: each(raw.departments, (id) => arbDepartment(pools, id)),
      people: each(raw.people, (id) => arbPerson(pools, id)),
      cycles: each(cycles, (id) => arbCycle(pools, id)),
      stages: each(stages, arbStage),
      events: each(events, (id) => arbCustomerEvent(pools, id)),
      touchpoints: each(touchpoints, (id) => arbTouchpoint(pools, id)),
      evidence: each(raw.evidence, (id) => arbEvidence(pools, id)),
      orgGoals: each(orgGoals, (id) => arbOrgGoal(pools, id)),
      deptGoals: each(deptGoals, (id) => arbDeptGoal(pools, id)),
      actions: each(actions, (id) => arbAction(pools, id)),
      sessions: each(sessions, (id) => arbSession(pools, id)),
      contributions: each(contributions, (id) => arbContribution(pools, id)),
      settings: arbSettings(pools),
    });
  })
  // Normalise through the schema so fields added later with defaults are filled in, as a restore would.
  .map((ws) => v.parse(WorkspaceSchema, ws));
