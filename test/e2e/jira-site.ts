import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  REQUIRED_STATUSES,
  REQUIRED_TRANSITIONS,
  type VerificationStatusName,
  WORKFLOW_MODULE_KEYS,
} from '@cxplan/core';
import api from '@forge/api';
import { handler as ingestWebTrigger } from '../../jira-plugin/src/ingest/ingest-webtrigger';
import { JiraClient } from '../../jira-plugin/src/jira-client';
import { PlanStore } from '../../jira-plugin/src/plan-store';
import { handler as adminPageResolver } from '../../jira-plugin/src/resolvers/admin-resolver';
import type { Answer } from '../../jira-plugin/src/resolvers/answer';
import { handler as issuePanelResolver } from '../../jira-plugin/src/resolvers/issue-resolver';
import { type ProjectPlanView, projectPlanView } from '../../jira-plugin/src/resolvers/project-plan-view';
import { runSync, type SyncOutcome } from '../../jira-plugin/src/run-sync';
import { syncDeps } from '../../jira-plugin/src/sync-deps';
import { FakeJira, type FakeWorkflow } from '../../jira-plugin/src/testing/fake-jira';
import { useFakeJira } from '../../jira-plugin/src/testing/forge-mocks';
import { manifestModules, moduleOf } from '../../jira-plugin/src/testing/manifest-modules';
import {
  type TransitionRules,
  WorkflowEnforcement,
} from '../../jira-plugin/src/testing/workflow-enforcement';
import { OrganisationConfigStore } from '../../jira-plugin/src/workflow/organisation-config';
import { handler as reconcile } from '../../jira-plugin/src/workflow/reconcile-trigger';
import { handler as rejectReasonValidator } from '../../jira-plugin/src/workflow/reject-reason-validator';
import { handler as submitPostFunction } from '../../jira-plugin/src/workflow/submit-post-function';
import { handler as verdictPostFunction } from '../../jira-plugin/src/workflow/verdict-post-function';
import { siteKvs } from './site-kvs';

/**
 * A Jira Cloud site with the cxplan app installed, as far as it can exist without Atlassian: the fake Jira
 * (every request checked against Jira's OpenAPI description) with the department-goal workflow of
 * jira-plugin/docs/workflow.md, the app's condition and validators exactly as manifest.yml declares them and its
 * real post functions and trigger; the app's real ingest web-trigger function (`ingest-webtrigger.handler`, which
 * stores captures and pushes goals and actions through the stored plan and the sync) served over HTTP on
 * 127.0.0.1; the admin page's resolver ({@link adminPage}); Forge KVS in memory. The test file mocks `@forge/api`
 * (only `requestJira`) and `@forge/kvs`.
 */

/** The epic issue type of the fake project (its default types: Epic 10000, Task 10001). */
export const EPIC_TYPE = '10000';
/** The action issue type. */
export const TASK_TYPE = '10001';

const STATUS_IDS: Record<VerificationStatusName, string> = {
  draft: '100',
  submitted: '101',
  verified: '102',
  rejected: '103',
};
const CATEGORY: Record<VerificationStatusName, 'new' | 'indeterminate' | 'done'> = {
  draft: 'new',
  submitted: 'indeterminate',
  verified: 'done',
  rejected: 'indeterminate',
};

/** Transition ids of the department-goal workflow, by name. */
export const TRANSITIONS = { submit: '11', verify: '21', reject: '31' } as const;
const TRANSITION_IDS: Record<string, string> = {
  'Submit for verification': TRANSITIONS.submit,
  Verify: TRANSITIONS.verify,
  Reject: TRANSITIONS.reject,
};

/** The department-goal workflow built from the core's required statuses and transitions (what the admin sets up). */
function goalWorkflow(): { workflow: FakeWorkflow; rules: Record<string, TransitionRules> } {
  const rules: Record<string, TransitionRules> = {};
  const transitions = REQUIRED_TRANSITIONS.map((t) => {
    const id = TRANSITION_IDS[t.name];
    if (id === undefined) throw new Error(`no transition id for ${t.name}`);
    rules[id] = { conditions: t.conditions, validators: t.validators, postFunctions: t.postFunctions };
    return { id, name: t.name, from: t.from.map((s) => STATUS_IDS[s]), to: STATUS_IDS[t.to] };
  });
  return {
    workflow: {
      statuses: REQUIRED_STATUSES.map((s) => ({
        id: STATUS_IDS[s.verification],
        name: s.name,
        category: CATEGORY[s.verification],
      })),
      initialStatusId: STATUS_IDS.draft,
      transitions,
    },
    rules,
  };
}

/** The running site. */
export interface JiraSite {
  /** The web trigger URL the admin page shows, to paste into the extension. */
  triggerUrl: string;
  fake: FakeJira;
  workflow: WorkflowEnforcement;
  /** HTTP statuses of the ingest requests, in order. */
  ingestLog: number[];
  /** Jira REST as a signed-in person (what they do in Jira's UI goes through the same endpoints). */
  as(accountId: string): JiraClient;
  /** Name of a status id of the fake. */
  statusName(issueKey: string): string;
  /** The Jira app's stored plan of a cycle. */
  plan(cycleId: string): ReturnType<PlanStore['load']>;
  /** What the project page shows for the current cycle (the project resolver's answer). */
  projectPage(): Promise<ProjectPlanView>;
  /** Runs the app's sync as its hourly trigger does. */
  sync(): Promise<SyncOutcome>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the site; `users` are display names by account id (Jira's `user.displayName`). */
export async function startJiraSite(users: Readonly<Record<string, string>>): Promise<JiraSite> {
  const { workflow: epicWorkflow, rules } = goalWorkflow();
  const fake = new FakeJira({ workflows: { [EPIC_TYPE]: epicWorkflow } });
  useFakeJira(fake);
  const modules = await manifestModules();
  const K = WORKFLOW_MODULE_KEYS;
  const validator = moduleOf(modules, 'jira:workflowValidator', K.verifierValidator);
  const workflow = new WorkflowEnforcement(fake, {
    modules: {
      [K.condition]: {
        kind: 'expression',
        expression: String(moduleOf(modules, 'jira:workflowCondition', K.condition).expression),
      },
      [K.verifierValidator]: {
        kind: 'expression',
        expression: String(validator.expression),
        errorMessage: String(validator.errorMessage),
      },
      [K.rejectReasonValidator]: { kind: 'function', run: rejectReasonValidator },
    },
    postFunctions: {
      [K.submitPostFunction]: submitPostFunction,
      [K.verdictPostFunction]: verdictPostFunction,
    },
    rules,
    users,
    issueUpdated: reconcile,
  });
  const ingestLog: number[] = [];

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(req.headersDistinct)) if (value) headers[name] = value;
    const answer = await ingestWebTrigger({ method: req.method ?? 'GET', headers, body } as Parameters<
      typeof ingestWebTrigger
    >[0]);
    // Post functions run after the transition; the sync inside the trigger may have started some.
    await workflow.settle();
    ingestLog.push(answer.statusCode);
    res.writeHead(answer.statusCode, answer.headers ?? {}).end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    triggerUrl: `http://127.0.0.1:${port}/x1/cxplan-ingest`,
    fake,
    workflow,
    ingestLog,
    as: (accountId) => new JiraClient(api.asUser(accountId), { maxRetries: 0 }),
    statusName(issueKey) {
      const issue = fake.issueByKey(issueKey);
      return fake.workflowOf(issue).statuses.find((s) => s.id === issue.statusId)?.name ?? issue.statusId;
    },
    plan: (cycleId) => new PlanStore(siteKvs).load(cycleId),
    async projectPage() {
      // The same reads and view function as the project page's resolver (resolvers/project-resolver.ts).
      const plans = new PlanStore(siteKvs);
      const cycleId = await plans.currentCycleId();
      const config = await new OrganisationConfigStore(siteKvs).read();
      const plan = cycleId ? await plans.load(cycleId) : undefined;
      return projectPlanView(config, plan, cycleId, new Date().toISOString());
    },
    sync: () => runSync(syncDeps(25_000)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/**
 * Calls the cxplan admin page's resolver (`resolvers/admin-resolver.ts`, the `function` module behind the admin
 * page) the way the page does through the Forge bridge, as the Jira admin `accountId`; returns its answer.
 */
export async function adminPage<T>(
  functionKey: string,
  payload: unknown,
  accountId: string,
): Promise<Answer<T>> {
  // Forge hands the caller's account to the resolver in the runtime payload's principal, not in the context.
  return (await adminPageResolver(
    { call: { functionKey, payload }, context: {} },
    { principal: { accountId } },
  )) as Answer<T>;
}

/** Calls the issue panel's resolver (`resolvers/issue-resolver.ts`) on an issue, as `accountId` viewing it. */
export async function issuePanel<T>(
  functionKey: string,
  issueKey: string,
  accountId: string,
  payload: unknown,
): Promise<Answer<T>> {
  const context = { extension: { issue: { key: issueKey } } };
  return (await issuePanelResolver(
    { call: { functionKey, payload }, context },
    { principal: { accountId } },
  )) as Answer<T>;
}
