import { GOAL_PROPERTY, REJECT_REASON_MESSAGE, WORKFLOW_MODULE_KEYS } from '@cxplan/core';
import api from '@forge/api';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { JiraClient, JiraError } from '../jira-client/jira-client';
import { issuePanel } from '../resolvers/issue-resolver';
import { runSync } from '../sync/run-sync';
import { pullPage } from '../team-store/feed';
import { readEntity } from '../team-store/plan-reads';
import { FakeJira, type FakeWorkflow } from '../testing/fake-jira';
import { useFakeJira as pointForgeApiAt, sharedKvs } from '../testing/forge-mocks';
import { manifestModules, moduleOf } from '../testing/manifest-modules';
import { createOp, putOp, type TeamFixture, teamFixture } from '../testing/team-fixture';
import { adf, type TransitionRules, WorkflowEnforcement } from '../testing/workflow-enforcement';
import { VERIFICATION_FLAGS_PROPERTY } from './goal-issue';
import { JIRA_TARGET_KEY, OrganisationConfigStore } from './organisation-config';
import { handler as reconcile } from './reconcile-trigger';
import { handler as rejectReasonValidator } from './reject-reason-validator';
import { handler as submitPostFunction } from './submit-post-function';
import { handler as verdictPostFunction } from './verdict-post-function';
import { handler as verifierValidator } from './verifier-validator';

vi.mock('@forge/api', async (importOriginal) => {
  const { forgeApiOverFake } = await import('../testing/forge-mocks');
  return forgeApiOverFake(await importOriginal());
});
vi.mock('@forge/kvs', async () => (await import('../testing/forge-mocks')).kvsModule());

const EPIC = '10000';
const DRAFT = '100';
const SUBMITTED = '101';
const VERIFIED = '102';
const REJECTED = '103';
const SUBMIT = '11';
const VERIFY = '21';
const REJECT = '31';

/** The verification workflow of docs/workflow.md, as the fake's workflow for epics. */
const goalWorkflow: FakeWorkflow = {
  statuses: [
    { id: DRAFT, name: 'Draft', category: 'new' },
    { id: SUBMITTED, name: 'Submitted', category: 'indeterminate' },
    { id: VERIFIED, name: 'Verified', category: 'done' },
    { id: REJECTED, name: 'Rejected', category: 'indeterminate' },
  ],
  initialStatusId: DRAFT,
  transitions: [
    { id: SUBMIT, name: 'Submit for verification', from: [DRAFT, REJECTED], to: SUBMITTED },
    { id: VERIFY, name: 'Verify', from: [SUBMITTED], to: VERIFIED },
    { id: REJECT, name: 'Reject', from: [SUBMITTED], to: REJECTED },
  ],
};

const K = WORKFLOW_MODULE_KEYS;
/** The rules as docs/workflow.md tells the admin to configure them. */
const FULL_RULES: Record<string, TransitionRules> = {
  [SUBMIT]: { postFunctions: [K.submitPostFunction] },
  [VERIFY]: {
    conditions: [K.condition],
    validators: [K.verifierValidator, K.verifierIdentity],
    postFunctions: [K.verdictPostFunction],
  },
  [REJECT]: {
    conditions: [K.condition],
    validators: [K.verifierValidator, K.verifierIdentity, K.rejectReasonValidator],
    postFunctions: [K.verdictPostFunction],
  },
};
/** The same workflow where the admin forgot the condition: only the validators stand in the way. */
const VALIDATORS_ONLY: Record<string, TransitionRules> = Object.fromEntries(
  Object.entries(FULL_RULES).map(([id, rules]) => [id, { ...rules, conditions: [] }]),
);

const USERS = {
  bea: 'Bea Up-line',
  dan: 'Dan Manager',
  olga: 'Olga Owner',
  sam: 'Sam Submitter',
  pete: 'Pete Peer',
  ada: 'Ada Admin',
  xavier: 'Xavier New',
};

let jira: FakeJira;
let workflow: WorkflowEnforcement;
/** The team store the production handlers use (real @forge/sql on MariaDB, the mocked @forge/kvs). */
let team: TeamFixture;
beforeEach(async () => {
  team = await teamFixture({ kv: sharedKvs });
});
afterEach(() => team.close());
/** The condition and the identity validator exactly as manifest.yml declares them (the fake enforces what Jira would get). */
let manifestRules: { condition: string; identity: string; errorMessage: string };

beforeAll(async () => {
  const modules = await manifestModules();
  const identity = moduleOf(modules, 'jira:workflowValidator', WORKFLOW_MODULE_KEYS.verifierIdentity);
  // The verifier validator is a Forge function: the manifest points at the module this test wires in.
  expect(moduleOf(modules, 'jira:workflowValidator', WORKFLOW_MODULE_KEYS.verifierValidator).function).toBe(
    'verifier-validator',
  );
  manifestRules = {
    condition: String(moduleOf(modules, 'jira:workflowCondition', WORKFLOW_MODULE_KEYS.condition).expression),
    identity: String(identity.expression),
    errorMessage: String(identity.errorMessage),
  };
}, 60_000);

function setup(rules: Record<string, TransitionRules>): void {
  jira = new FakeJira({ workflows: { [EPIC]: goalWorkflow } });
  pointForgeApiAt(jira, 'sam');
  workflow = new WorkflowEnforcement(jira, {
    modules: {
      [K.condition]: { kind: 'expression', expression: manifestRules.condition },
      [K.verifierValidator]: { kind: 'function', run: verifierValidator },
      [K.verifierIdentity]: {
        kind: 'expression',
        expression: manifestRules.identity,
        errorMessage: manifestRules.errorMessage,
      },
      [K.rejectReasonValidator]: { kind: 'function', run: rejectReasonValidator },
    },
    postFunctions: {
      [K.submitPostFunction]: submitPostFunction,
      [K.verdictPostFunction]: verdictPostFunction,
    },
    rules,
    users: USERS,
    issueUpdated: reconcile,
  });
}

async function configureOrganisation(): Promise<void> {
  const saved = await new OrganisationConfigStore(team.deps).save(
    {
      organisation: { name: 'Acme', businessObjectives: [{ id: 'bo-1', name: 'Keep customers' }] },
      people: Object.entries(USERS).map(([id, name]) => ({
        id,
        name,
        jiraAccountId: id,
        role: 'manager',
        ...(id === 'ada' && { admin: true }),
      })),
      departments: [
        { id: 'dept-exec', name: 'Executive', managerId: 'bea' },
        { id: 'dept-sales', name: 'Sales', managerId: 'dan', parentId: 'dept-exec' },
      ],
    },
    { accountId: 'bea' },
  );
  expect(saved.ok).toBe(true);
}

const METRIC = {
  name: 'FCR',
  unit: '%',
  direction: 'increase',
  baseline: 61,
  target: 75,
  due: '2026-12-31',
} as const;

/** The department goal as the team store holds it once the sync linked it to its epic; Olga owns it. */
async function storeGoal(issueKey: string, issueId: string): Promise<void> {
  const [result] = await team.push(
    'jira',
    [
      createOp('deptGoals', {
        id: 'goal-1',
        cycleId: 'cycle-2026',
        departmentId: 'dept-sales',
        title: 'Resolve more on first contact',
        orgGoalId: 'org-1',
        businessObjectiveId: 'bo-1',
        metric: { ...METRIC, readings: [] },
        ownerId: 'olga',
        jira: { issueKey, issueId },
      }),
    ],
    { system: true },
  );
  expect(result?.status).toBe('applied');
}

/** The goal's verification as the team store holds it (what every paired browser receives). */
async function storedVerification(): Promise<Record<string, unknown> | undefined> {
  return (await readEntity(team.sql, 'deptGoals', 'goal-1'))?.body.verification as
    | Record<string, unknown>
    | undefined;
}

/** Creates the department-goal epic through the app's client, as the sync does, assigned to its owner. */
async function createGoalEpic(): Promise<string> {
  const [created] = await new JiraClient(api.asApp()).createIssues([
    {
      fields: {
        project: { key: 'CX' },
        issuetype: { id: EPIC },
        summary: 'Resolve more on first contact',
        labels: ['cxplan'],
      },
      properties: [
        {
          key: GOAL_PROPERTY,
          value: {
            v: 1,
            id: 'goal-1',
            cycleId: 'cycle-2026',
            departmentId: 'dept-sales',
            orgGoalId: 'org-1',
            businessObjectiveId: 'bo-1',
            metric: METRIC,
            verification: { status: 'draft' },
            verificationHistory: [],
            synced: { summary: 'Resolve more on first contact', description: 'h' },
          },
        },
      ],
    },
  ]);
  if (!created?.ok) throw new Error('epic not created');
  workflow.assign(created.key, 'olga');
  await storeGoal(created.key, created.id);
  return created.key;
}

const as = (accountId: string): JiraClient => new JiraClient(api.asUser(accountId), { maxRetries: 0 });

function goalProperty(key: string): Record<string, unknown> {
  return jira.issueByKey(key).properties.get(GOAL_PROPERTY) as Record<string, unknown>;
}

async function submitted(): Promise<string> {
  await configureOrganisation();
  const key = await createGoalEpic();
  await as('sam').transitionIssue(key, SUBMIT);
  await workflow.settle();
  return key;
}

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JiraError);
  return (error as JiraError).messages.join(' ');
}

describe('verification through workflow transitions (condition, validators, post functions)', () => {
  beforeEach(() => setup(FULL_RULES));

  it('Submit records the up-line manager resolved from the department configuration', async () => {
    const key = await submitted();
    expect(workflow.failures).toEqual([]);
    const property = goalProperty(key);
    expect(property.verification).toMatchObject({
      status: 'submitted',
      submittedBy: 'sam',
      verifierId: 'bea',
    });
    expect(property.accounts).toEqual({
      verifier: { accountId: 'bea', displayName: 'Bea Up-line' },
      departmentManager: { accountId: 'dan', displayName: 'Dan Manager' },
      owner: { accountId: 'olga', displayName: 'Olga Owner' },
      submitter: { accountId: 'sam', displayName: 'Sam Submitter' },
    });
    // The post function and the issue-updated trigger both saw the transition: it is in the history once.
    expect(workflow.outcomes).toHaveLength(2);
    expect(property.verificationHistory).toMatchObject([{ type: 'submitted', by: 'sam', verifierId: 'bea' }]);
    expect(property.synced).toEqual({ summary: 'Resolve more on first contact', description: 'h' });
    // Recorded in the team store, as the app's own change: the property only mirrors it.
    expect(await storedVerification()).toMatchObject({
      status: 'submitted',
      submittedBy: 'sam',
      verifierId: 'bea',
    });
    expect((await readEntity(team.sql, 'deptGoals', 'goal-1'))?.changedBy).toBe('jira');
  });

  it('the up-line manager sees Verify and Reject and verifying succeeds', async () => {
    const key = await submitted();
    const names = (await as('bea').getTransitions(key)).transitions.map((t) => t.name);
    expect(names).toEqual(['Verify', 'Reject']);
    await as('bea').transitionIssue(key, VERIFY);
    await workflow.settle();
    expect(jira.issueByKey(key).statusId).toBe(VERIFIED);
    expect(goalProperty(key).verification).toMatchObject({
      status: 'verified',
      verifiedBy: 'bea',
      verifierId: 'bea',
    });
    expect(goalProperty(key).verificationHistory).toMatchObject([
      { type: 'submitted' },
      { type: 'verified', by: 'bea' },
    ]);
    expect(await storedVerification()).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
    expect(workflow.failures).toEqual([]);
  });

  it.each([
    ['a peer', 'pete'],
    ['the goal owner', 'olga'],
    ['the department manager', 'dan'],
    ['whoever submitted', 'sam'],
  ])('hides Verify and Reject from %s and refuses the transition', async (_who, accountId) => {
    const key = await submitted();
    expect((await as(accountId).getTransitions(key)).transitions).toEqual([]);
    expect(await refusal(as(accountId).transitionIssue(key, VERIFY))).toBe(
      `Transition id '${VERIFY}' is not valid for this issue.`,
    );
    expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
  });

  it('Reject needs a reason on the Reject screen; the post function records it', async () => {
    const key = await submitted();
    const bea = as('bea');
    expect(await refusal(bea.transitionIssue(key, REJECT))).toBe(REJECT_REASON_MESSAGE);
    const response = await jira.handleAsync({
      actor: { kind: 'user', accountId: 'bea' },
      method: 'POST',
      path: `/rest/api/3/issue/${key}/transitions`,
      body: {
        transition: { id: REJECT },
        update: { comment: [{ add: { body: adf('The baseline is from last year') } }] },
      },
    });
    expect(response.status).toBe(204);
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({
      status: 'rejected',
      rejectedBy: 'bea',
      reason: 'The baseline is from last year',
    });
    expect(await storedVerification()).toMatchObject({
      status: 'rejected',
      reason: 'The baseline is from last year',
    });
    // Rejected → (edit) → Submit again.
    await as('sam').transitionIssue(key, SUBMIT);
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({ status: 'submitted', verifierId: 'bea' });
    expect((goalProperty(key).verificationHistory as unknown[]).length).toBe(3);
    expect(workflow.failures).toEqual([]);
  });
});

describe('the validator refuses with the core message, also for app-less REST calls', () => {
  beforeEach(() => setup(VALIDATORS_ONLY));

  const ONLY_BEA = 'Only the up-line manager recorded at submission (Bea Up-line) may verify this goal';
  it.each([
    ['a peer', 'pete'],
    ['the goal owner', 'olga'],
    ['whoever submitted it', 'sam'],
    ["the department's own manager", 'dan'],
    ['an admin of the team workspace', 'ada'],
  ])('refuses %s Verify and Reject with the message, and records nothing', async (_who, accountId) => {
    const key = await submitted();
    expect(await refusal(as(accountId).transitionIssue(key, VERIFY))).toBe(ONLY_BEA);
    expect(await refusal(as(accountId).transitionIssue(key, REJECT))).toBe(ONLY_BEA);
    expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
    expect(await storedVerification()).toMatchObject({ status: 'submitted', verifierId: 'bea' });
  });

  it('refuses an up-line manager who owns the goal, naming why', async () => {
    await configureOrganisation();
    const key = await createGoalEpic();
    // Dan, who heads Sales, makes Bea the goal's owner from his browser before it is submitted.
    const stored = await readEntity(team.sql, 'deptGoals', 'goal-1');
    const [owned] = await team.push('dan', [
      putOp('deptGoals', 'goal-1', stored?.version ?? 0, { ownerId: 'bea' }),
    ]);
    expect(owned?.status).toBe('applied');
    await as('sam').transitionIssue(key, SUBMIT);
    await workflow.settle();
    // The core refuses a submission whose verifier owns the goal, so nothing is awaiting verification …
    expect(await storedVerification()).toEqual({ status: 'draft' });
    expect(
      (jira.issueByKey(key).properties.get(VERIFICATION_FLAGS_PROPERTY) as { flags: { code: string }[] })
        .flags,
    ).toMatchObject([{ code: 'nobody-could-verify' }]);
    // … and Bea's Verify is refused with the core's message.
    expect(await refusal(as('bea').transitionIssue(key, VERIFY))).toBe(
      'This goal has not been submitted for verification, so nobody can verify it yet',
    );
  });

  it('refuses a REST call made without the app (a user with an API token) and the app itself', async () => {
    const key = await submitted();
    const response = await jira.handleAsync({
      actor: { kind: 'user', accountId: 'pete' },
      method: 'POST',
      path: `/rest/api/3/issue/${key}/transitions`,
      body: { transition: { id: VERIFY } },
    });
    expect(response).toMatchObject({
      status: 400,
      body: {
        errorMessages: ['Only the up-line manager recorded at submission (Bea Up-line) may verify this goal'],
      },
    });
    expect(
      await refusal(new JiraClient(api.asApp(), { maxRetries: 0 }).transitionIssue(key, VERIFY)),
    ).toMatch(/Only the up-line manager recorded at submission/);
    expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
  });
});

describe('bulk transitions go through the same validator', () => {
  beforeEach(() => setup(VALIDATORS_ONLY));

  const bulk = async (accountId: string, keys: string[]): Promise<Record<string, unknown>> => {
    const submit = await jira.handleAsync({
      actor: { kind: 'user', accountId },
      method: 'POST',
      path: '/rest/api/3/bulk/issues/transition',
      body: { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: keys, transitionId: VERIFY }] },
    });
    expect(submit.status).toBe(201);
    const { taskId } = submit.body as { taskId: string };
    return jira.handle({
      actor: { kind: 'user', accountId },
      method: 'GET',
      path: `/rest/api/3/bulk/queue/${taskId}`,
      body: undefined,
    }).body as Record<string, unknown>;
  };

  it("refuses a peer's bulk Verify per issue with the message, and lets the up-line manager's through", async () => {
    const key = await submitted();
    const id = jira.issueByKey(key).id;
    expect(await bulk('pete', [key])).toMatchObject({
      status: 'COMPLETE',
      processedAccessibleIssues: [],
      failedAccessibleIssues: {
        [id]: ['Only the up-line manager recorded at submission (Bea Up-line) may verify this goal'],
      },
    });
    expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
    expect(await bulk('bea', [key])).toMatchObject({
      processedAccessibleIssues: [Number(id)],
      failedAccessibleIssues: {},
    });
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
  });
});

describe('reconciling transitions made where workflow modules do not run (team-managed projects)', () => {
  beforeEach(() => setup({}));

  it('records a legitimate step and flags one that broke the rule', async () => {
    await configureOrganisation();
    const key = await createGoalEpic();
    workflow.moveWithoutRules(key, 'Submitted', 'sam');
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({ status: 'submitted', verifierId: 'bea' });
    expect(await storedVerification()).toMatchObject({ status: 'submitted', verifierId: 'bea' });

    workflow.moveWithoutRules(key, 'Verified', 'pete');
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({ status: 'submitted' });
    expect(await storedVerification()).toMatchObject({ status: 'submitted' });
    const flags = (jira.issueByKey(key).properties.get(VERIFICATION_FLAGS_PROPERTY) as { flags: unknown[] })
      .flags;
    expect(flags).toMatchObject([
      {
        by: 'pete',
        step: 'verify',
        fromStatus: 'Submitted',
        toStatus: 'Verified',
        code: 'not-allowed-to-verify',
        seenBy: 'trigger',
        message:
          'Pete Peer moved CX-1 to "Verified", but Only the up-line manager recorded at submission (Bea Up-line) may verify this goal',
      },
    ]);
    expect(workflow.failures).toEqual([]);
  });

  it('records a withdrawal (Submitted → Draft) by the submitter and flags one by someone else', async () => {
    await configureOrganisation();
    const key = await createGoalEpic();
    workflow.moveWithoutRules(key, 'Submitted', 'sam');
    await workflow.settle();
    workflow.moveWithoutRules(key, 'Draft', 'pete');
    await workflow.settle();
    expect(goalProperty(key).verification).toMatchObject({ status: 'submitted' });
    const flags = (jira.issueByKey(key).properties.get(VERIFICATION_FLAGS_PROPERTY) as { flags: unknown[] })
      .flags;
    expect(flags).toMatchObject([{ by: 'pete', step: 'withdraw', code: 'not-allowed-to-withdraw' }]);

    workflow.moveWithoutRules(key, 'Submitted', 'sam');
    workflow.moveWithoutRules(key, 'Draft', 'sam');
    await workflow.settle();
    expect(goalProperty(key).verification).toEqual({ status: 'draft' });
    expect((goalProperty(key).verificationHistory as Array<{ type: string }>).map((e) => e.type)).toEqual([
      'submitted',
      'returned-to-draft',
    ]);
  });

  it('ignores status changes of issues that are not cxplan goals and changes that are not verification steps', async () => {
    const [other] = await new JiraClient(api.asApp()).createIssues([
      { fields: { project: { key: 'CX' }, issuetype: { id: '10001' }, summary: 'Unrelated bug' } },
    ]);
    const key = other?.ok ? other.key : 'CX-404';
    expect(
      await reconcile({ issue: { key }, changelog: { items: [{ field: 'summary', toString: 'x' }] } }),
    ).toEqual({ kind: 'ignored', why: 'no status, assignee or due date change' });
    expect(
      await reconcile({
        issue: { key },
        changelog: { items: [{ fieldId: 'status', fromString: 'To Do', toString: 'Done' }] },
      }),
    ).toEqual({ kind: 'ignored', why: '"Done" is not a verification status' });
  });

  it('does not record a step on an epic whose cxplan.goal property names a goal it is not linked to', async () => {
    await configureOrganisation();
    const key = await createGoalEpic();
    // Someone with edit rights points the epic at another goal id: the store's link says otherwise.
    goalProperty(key).id = 'goal-2';
    workflow.moveWithoutRules(key, 'Submitted', 'sam');
    await workflow.settle();
    expect(await storedVerification()).toEqual({ status: 'draft' });
    expect(
      (jira.issueByKey(key).properties.get(VERIFICATION_FLAGS_PROPERTY) as { flags: { code: string }[] })
        .flags,
    ).toMatchObject([{ code: 'unknown-goal' }]);
    expect(workflow.failures).toEqual([]);
  });
});

describe('verification nobody can forge (issue 15): the validator decides from the team store', () => {
  beforeEach(() => setup(FULL_RULES));

  it('given Pete, who may edit the epic, rewrites cxplan.goal to name himself the verifier, when he tries Verify, then he is refused and the record is restored', async () => {
    const key = await submitted();
    const forged = structuredClone(goalProperty(key));
    forged.accounts = { verifier: { accountId: 'pete', displayName: 'Pete Peer' } };
    // PUT /rest/api/3/issue/{key}/properties/cxplan.goal — what any user with edit permission may do.
    await as('pete').setIssueProperty(key, GOAL_PROPERTY, forged);
    // The condition (a convenience reading the property) now shows him the buttons …
    expect((await as('pete').getTransitions(key)).transitions.map((t) => t.name)).toEqual([
      'Verify',
      'Reject',
    ]);
    // … but the function validator compares the property with the team store and refuses.
    expect(await refusal(as('pete').transitionIssue(key, VERIFY))).toBe(
      `The verification record on ${key} did not match cxplan's own (it was changed outside cxplan, or the organisation changed since it was written) and has been restored. Only the up-line manager recorded at submission (Bea Up-line) may verify this goal: if that is you, try again.`,
    );
    expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
    expect(goalProperty(key).accounts).toMatchObject({ verifier: { accountId: 'bea' } });
    expect(await storedVerification()).toMatchObject({ status: 'submitted', verifierId: 'bea' });
    // The buttons are hidden from him again, and the recorded up-line manager verifies as before.
    expect((await as('pete').getTransitions(key)).transitions).toEqual([]);
    await as('bea').transitionIssue(key, VERIFY);
    await workflow.settle();
    expect(await storedVerification()).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
    expect(workflow.failures).toEqual([]);
  });

  it('given Pete forges a whole verified record into the property, then the store (and every browser) still says submitted', async () => {
    const key = await submitted();
    const forged = structuredClone(goalProperty(key));
    forged.verification = {
      status: 'verified',
      verifierId: 'pete',
      verifiedBy: 'pete',
      verifiedAt: '2026-11-23T10:00:00Z',
    };
    await as('pete').setIssueProperty(key, GOAL_PROPERTY, forged);
    expect(await storedVerification()).toMatchObject({ status: 'submitted', verifierId: 'bea' });
    // A forged record is never pulled into the store by the sync either (sync-plan: verification-restored).
  });

  it.each([
    ['deleted', () => undefined],
    ['replaced by garbage', () => 'not a record'],
    ['stripped of the goal id', (p: Record<string, unknown>) => ({ ...p, id: undefined })],
    ['pointed at another goal', (p: Record<string, unknown>) => ({ ...p, id: 'goal-2' })],
  ])(
    'given the cxplan.goal property %s, when the recorded up-line manager tries Verify, then it is refused with a sentence, never a crash',
    async (_how, change) => {
      setup(VALIDATORS_ONLY); // with the condition, Jira would simply hide the transition
      const key = await submitted();
      const next = change(goalProperty(key));
      if (next === undefined) jira.issueByKey(key).properties.delete(GOAL_PROPERTY);
      else jira.issueByKey(key).properties.set(GOAL_PROPERTY, next);
      expect(await refusal(as('bea').transitionIssue(key, VERIFY))).toBe(
        `${key} is not linked to a department goal cxplan holds (its cxplan.goal record is missing or was changed outside cxplan), so nobody can verify or reject it here; the next cxplan sync restores the record.`,
      );
      expect(jira.issueByKey(key).statusId).toBe(SUBMITTED);
      expect(workflow.failures).toEqual([]);
    },
  );

  it('given the property deleted, when the next sync runs, then it is restored from the store (no second epic) and the recorded up-line manager verifies', async () => {
    setup(VALIDATORS_ONLY);
    const key = await submitted();
    jira.issueByKey(key).properties.delete(GOAL_PROPERTY);
    expect(await refusal(as('bea').transitionIssue(key, VERIFY))).toMatch(
      /is not linked to a department goal/,
    );
    await team.kv.set(JIRA_TARGET_KEY, {
      projectKey: 'CX',
      epicIssueTypeId: EPIC,
      actionIssueTypeId: '10001',
    });
    const outcome = await runSync({
      client: new JiraClient(api.asApp()),
      store: team.deps,
      now: () => new Date(),
    });
    expect(outcome.kind === 'synced' && outcome.summary.findings).toContainEqual({
      kind: 'property-restored',
      entity: 'goal',
      coreId: 'goal-1',
      issueKey: key,
    });
    expect(jira.issues.size).toBe(1);
    expect(goalProperty(key)).toMatchObject({
      id: 'goal-1',
      verification: { status: 'submitted', verifierId: 'bea' },
      accounts: { verifier: { accountId: 'bea' }, submitter: { accountId: 'sam' } },
    });
    await as('bea').transitionIssue(key, VERIFY);
    await workflow.settle();
    expect(await storedVerification()).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
  });

  it('given the property’s accounts corrupted, then Verify is refused and the record restored, and the retry succeeds', async () => {
    setup(VALIDATORS_ONLY);
    const key = await submitted();
    goalProperty(key).accounts = 'garbage';
    expect(await refusal(as('bea').transitionIssue(key, VERIFY))).toMatch(/has been restored/);
    await as('bea').transitionIssue(key, VERIFY);
    await workflow.settle();
    expect(await storedVerification()).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
  });

  it('given the up-line manager reassigned while the goal waits, then the one recorded at submission still decides, the new one is refused, and the panel says how to hand it over', async () => {
    setup(VALIDATORS_ONLY); // to read the validator's sentence (the condition would hide the buttons from Xavier)
    const key = await submitted();
    const config = await new OrganisationConfigStore(team.deps).read();
    const saved = await new OrganisationConfigStore(team.deps).save(
      {
        ...config,
        departments: config.departments.map((d) =>
          d.id === 'dept-sales' ? { ...d, upLineManagerId: 'xavier' } : d,
        ),
      },
      { accountId: 'ada' },
    );
    expect(saved.ok).toBe(true);
    expect(await refusal(as('xavier').transitionIssue(key, VERIFY))).toBe(
      'Only the up-line manager recorded at submission (Bea Up-line) may verify this goal',
    );
    const panel = await issuePanel(
      { client: as('olga'), store: team.deps, now: () => new Date(), newId: () => 'x' },
      key,
    );
    expect(panel.kind === 'goal' && panel.verification?.waitingFor).toEqual({
      verifier: 'Bea Up-line',
      reassigned:
        "Sales's up-line manager is now Xavier New, but this goal was submitted to Bea Up-line, who alone may verify or reject it. To hand it to Xavier New, withdraw it (move it back to Draft) and submit it again.",
    });
    await as('bea').transitionIssue(key, VERIFY);
    await workflow.settle();
    expect(await storedVerification()).toMatchObject({ status: 'verified', verifiedBy: 'bea' });
  });

  it('given Bea rejects with a reason, then the verdict — who, when, why — is in the team store’s feed every paired browser pulls', async () => {
    const key = await submitted();
    await as('bea')
      .transitionIssue(key, REJECT)
      .catch(() => undefined); // no reason: refused
    const response = await jira.handleAsync({
      actor: { kind: 'user', accountId: 'bea' },
      method: 'POST',
      path: `/rest/api/3/issue/${key}/transitions`,
      body: { transition: { id: REJECT }, update: { comment: [{ add: { body: adf('Target too low') } }] } },
    });
    expect(response.status).toBe(204);
    await workflow.settle();
    const page = await pullPage({ sql: team.sql, kv: team.kv, now: Date.now }, undefined);
    const change = page.changes.find((c) => c.kind === 'deptGoals' && c.id === 'goal-1');
    expect(change?.body?.verification).toMatchObject({
      status: 'rejected',
      rejectedBy: 'bea',
      reason: 'Target too low',
      rejectedAt: expect.any(String),
    });
    expect(change?.body?.verificationHistory).toMatchObject([
      { type: 'submitted', by: 'sam', verifierId: 'bea' },
      { type: 'rejected', by: 'bea', reason: 'Target too low' },
    ]);
  });
});
