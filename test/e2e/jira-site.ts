import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  REQUIRED_STATUSES,
  REQUIRED_TRANSITIONS,
  type TeamKind,
  type VerificationStatusName,
  WORKFLOW_MODULE_KEYS,
} from '@cxplan/core';
import api from '@forge/api';
import type Resolver from '@forge/resolver';
import { sql } from '@forge/sql';
import { JiraClient } from '../../jira-plugin/src/jira-client/jira-client';
import { handler as adminPageResolver } from '../../jira-plugin/src/resolvers/admin-resolver';
import type { Answer } from '../../jira-plugin/src/resolvers/answer';
import { type NewCode, teamResolver } from '../../jira-plugin/src/resolvers/connect-resolver';
import { handler as issuePanelResolver } from '../../jira-plugin/src/resolvers/issue-resolver';
import type { ProjectPlanView } from '../../jira-plugin/src/resolvers/project-plan-view';
import { handler as projectPageResolver } from '../../jira-plugin/src/resolvers/project-resolver';
import type { ContinuedOutcome } from '../../jira-plugin/src/sync/run-sync';
import { handler as scheduledSync } from '../../jira-plugin/src/sync/scheduled-sync';
import { handler as syncConsumer } from '../../jira-plugin/src/sync/sync-consumer';
import { SYNC_QUEUE } from '../../jira-plugin/src/sync/sync-deps';
import { handler as teamWebTrigger } from '../../jira-plugin/src/sync/team-webtrigger';
import { readEntity, type Stored } from '../../jira-plugin/src/team-store/plan-reads';
import { FakeJira, type FakeWorkflow } from '../../jira-plugin/src/testing/fake-jira';
import { sharedKvs, useFakeJira } from '../../jira-plugin/src/testing/forge-mocks';
import { type ForgeSqlInstallation, installForgeSql } from '../../jira-plugin/src/testing/forge-sql-mariadb';
import { manifestModules, moduleOf } from '../../jira-plugin/src/testing/manifest-modules';
import {
  type TransitionRules,
  WorkflowEnforcement,
} from '../../jira-plugin/src/testing/workflow-enforcement';
import { handler as reconcile } from '../../jira-plugin/src/workflow/reconcile-trigger';
import { handler as rejectReasonValidator } from '../../jira-plugin/src/workflow/reject-reason-validator';
import { handler as submitPostFunction } from '../../jira-plugin/src/workflow/submit-post-function';
import { handler as verdictPostFunction } from '../../jira-plugin/src/workflow/verdict-post-function';
import { handler as verifierValidator } from '../../jira-plugin/src/workflow/verifier-validator';
import { readBody } from '../harness/read-body';
import { queued } from './site-queue';

/**
 * A Jira Cloud site with the cxplan app installed, as far as it can exist without Atlassian. The app's own
 * production handlers run as Forge runs them: the team web trigger (`sync/team-webtrigger.handler`, served over
 * HTTP on 127.0.0.1 so the real extension reaches it), the admin page, issue panel and project page resolvers, the
 * "Connect a browser" resolver, the sync's queue consumer and hourly trigger, the workflow's function validator,
 * post functions and issue-updated trigger. Forge's services are replaced at their documented surface only: Jira
 * REST by the fake Jira (every request checked against Jira's OpenAPI description, the department-goal workflow of
 * jira-plugin/docs/workflow.md with the app's condition and identity expression exactly as manifest.yml declares
 * them), Forge SQL by a database of its own on the run's MariaDB (Forge's limits enforced), KVS by the in-memory
 * KVS, the queue by {@link queued}. The test file mocks `@forge/api` (`requestJira`), `@forge/kvs` and
 * `@forge/events` accordingly.
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
  fake: FakeJira;
  workflow: WorkflowEnforcement;
  /** HTTP statuses of the requests the team web trigger answered, in order. */
  teamLog: number[];
  /** Jira REST as a signed-in person (what they do in Jira's UI goes through the same endpoints). */
  as(accountId: string): JiraClient;
  /** Name of the status an issue is in. */
  statusName(issueKey: string): string;
  /** "Connect a browser" in Jira, as this signed-in person: the line to paste into the extension. */
  connectionLine(accountId: string): Promise<string>;
  /** The admin page's resolver, as the page calls it through the Forge bridge, as this Jira admin. */
  adminPage<T>(functionKey: string, payload: unknown, accountId: string): Promise<Answer<T>>;
  /** The issue panel's resolver on an issue, as this person viewing it. */
  issuePanel<T>(
    functionKey: string,
    issueKey: string,
    accountId: string,
    payload: unknown,
  ): Promise<Answer<T>>;
  /** What the project page shows for the current cycle (its resolver's answer). */
  projectPage(): Promise<ProjectPlanView>;
  /**
   * Runs what the app put on its Forge queue, as Forge would once the delay passed (the consumer function with the
   * AsyncEvent); throws when nothing was queued, so a test cannot pass on a sync nobody asked for.
   */
  runQueuedSync(): Promise<ContinuedOutcome[]>;
  /** The hourly scheduled sync. */
  hourlySync(): Promise<ContinuedOutcome>;
  /** An entity as the team store holds it. */
  stored<T>(kind: TeamKind, id: string): Promise<Stored<T> | undefined>;
  close(): Promise<void>;
}

/** Starts the site; `users` are display names by account id (Jira's `user.displayName`). */
export async function startJiraSite(users: Readonly<Record<string, string>>): Promise<JiraSite> {
  const db: ForgeSqlInstallation = await installForgeSql();
  sharedKvs.clear();
  queued.length = 0;
  const { workflow: epicWorkflow, rules } = goalWorkflow();
  const fake = new FakeJira({ workflows: { [EPIC_TYPE]: epicWorkflow }, users });
  useFakeJira(fake);
  const modules = await manifestModules();
  const K = WORKFLOW_MODULE_KEYS;
  const identity = moduleOf(modules, 'jira:workflowValidator', K.verifierIdentity);
  const workflow = new WorkflowEnforcement(fake, {
    modules: {
      [K.condition]: {
        kind: 'expression',
        expression: String(moduleOf(modules, 'jira:workflowCondition', K.condition).expression),
      },
      [K.verifierValidator]: { kind: 'function', run: verifierValidator },
      [K.verifierIdentity]: {
        kind: 'expression',
        expression: String(identity.expression),
        errorMessage: String(identity.errorMessage),
      },
      [K.rejectReasonValidator]: { kind: 'function', run: rejectReasonValidator },
    },
    postFunctions: {
      [K.submitPostFunction]: submitPostFunction,
      [K.verdictPostFunction]: verdictPostFunction,
    },
    rules,
    workflow: epicWorkflow,
    users,
    issueUpdated: reconcile,
  });

  const teamLog: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(req.headersDistinct)) if (value) headers[name] = value;
    const answer = await teamWebTrigger({ method: req.method ?? 'GET', headers, body } as Parameters<
      typeof teamWebTrigger
    >[0]);
    teamLog.push(answer.statusCode);
    res.writeHead(answer.statusCode, answer.headers ?? {}).end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const triggerUrl = `http://127.0.0.1:${port}/x1/cxplan-team`;
  // The "Connect a browser" resolver as production builds it; only the web trigger's URL (Forge's webTrigger API)
  // is this server's.
  const connectPage = teamResolver(() => ({
    sql,
    kv: sharedKvs,
    now: Date.now,
    triggerUrl: async () => triggerUrl,
  })).getDefinitions();

  /** Calls a resolver as the Forge bridge does, as a signed-in account (Forge passes it as the principal). */
  const callResolver = async <T>(
    resolver: ReturnType<Resolver['getDefinitions']>,
    functionKey: string,
    payload: unknown,
    accountId: string,
    extension?: unknown,
  ): Promise<Answer<T>> => {
    useFakeJira(fake, accountId); // `asUser()` inside the resolver is this person
    return (await resolver(
      { call: { functionKey, payload }, context: extension === undefined ? {} : { extension } },
      { principal: { accountId } } as Parameters<typeof resolver>[1],
    )) as Answer<T>;
  };

  return {
    fake,
    workflow,
    teamLog,
    as: (accountId) => new JiraClient(api.asUser(accountId), { maxRetries: 0 }),
    statusName(issueKey) {
      const issue = fake.issueByKey(issueKey);
      return fake.workflowOf(issue).statuses.find((s) => s.id === issue.statusId)?.name ?? issue.statusId;
    },
    async connectionLine(accountId) {
      const made = await callResolver<NewCode>(connectPage, 'makePairingCode', {}, accountId);
      if (!made.ok) throw new Error(`no pairing code: ${made.message}`);
      return made.value.connection;
    },
    adminPage: (functionKey, payload, accountId) =>
      callResolver(adminPageResolver, functionKey, payload, accountId),
    issuePanel: (functionKey, issueKey, accountId, payload) =>
      callResolver(issuePanelResolver, functionKey, payload, accountId, { issue: { key: issueKey } }),
    async projectPage() {
      const view = await callResolver<ProjectPlanView>(
        projectPageResolver,
        'getProjectPlan',
        {},
        'acc-viewer',
      );
      if (!view.ok) throw new Error(`project page failed: ${view.message}`);
      return view.value;
    },
    async runQueuedSync() {
      const due = queued.splice(0).filter((e) => e.queue === SYNC_QUEUE);
      if (due.length === 0) throw new Error('no sync was queued');
      const outcomes: ContinuedOutcome[] = [];
      for (const event of due) outcomes.push(await syncConsumer({ body: event.body }));
      await workflow.settle();
      return outcomes;
    },
    async hourlySync() {
      const outcome = await scheduledSync();
      await workflow.settle();
      return outcome;
    },
    stored: <T>(kind: TeamKind, id: string) => readEntity(sql, kind, id) as Promise<Stored<T> | undefined>,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
      await db.uninstall();
    },
  };
}
