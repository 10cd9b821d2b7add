import { evaluateJiraExpression, JiraExpressionError, type JiraValue } from '@cxplan/core';
import type {
  Actor,
  FakeIssue,
  FakeJira,
  FakeRequest,
  FakeResponse,
  FakeTransition,
  TransitionContext,
  TransitionEngine,
} from './fake-jira';

/** The account Jira puts in `user` when the app itself (asApp) makes a request. */
export const APP_ACCOUNT_ID = 'cxplan-app-user';

/** A condition or validator module as the manifest declares it. */
export type RuleModule =
  | { kind: 'expression'; expression: string; errorMessage?: string }
  | { kind: 'function'; run: (event: unknown) => unknown };

/** A post function or trigger: the Forge function Jira invokes with an event. */
export type EventFunction = (event: unknown) => Promise<unknown>;

/** Which app rules are configured on which transition (by transition id), as a Jira admin would configure them. */
export interface TransitionRules {
  readonly conditions?: readonly string[];
  readonly validators?: readonly string[];
  readonly postFunctions?: readonly string[];
}

/** Everything the enforcement needs: the app's modules and where the workflow uses them. */
export interface WorkflowEnforcementOptions {
  readonly modules: Readonly<Record<string, RuleModule>>;
  readonly postFunctions: Readonly<Record<string, EventFunction>>;
  readonly rules: Readonly<Record<string, TransitionRules>>;
  /** Display names of accounts, as Jira's `user.displayName`. */
  readonly users: Readonly<Record<string, string>>;
  /** Called with every `avi:jira:updated:issue` event a status change produces (the reconcile trigger). */
  readonly issueUpdated?: EventFunction;
}

/** Jira's message when a validator fails without its own message. */
const DEFAULT_VALIDATOR_MESSAGE = 'The transition failed validation.';

interface StoredComment {
  readonly id: string;
  readonly authorId: string;
  readonly body: unknown;
}

/**
 * Enforces app workflow rules on the fake Jira the way Jira does: a condition that is not `true` (false, an
 * error, a non-boolean) hides the transition from `GET …/transitions` and makes a `POST` of it invalid; a
 * validator that is not `true` refuses the transition with its string result or error message; post functions
 * run after the transition was applied, with the post function event; a status change also sends
 * `avi:jira:updated:issue`. It plugs in through the fake's `TransitionEngine` and wraps `handle` to see request
 * bodies (transition-screen comments) and to keep comments and assignees, which the fake does not model yet.
 */
export class WorkflowEnforcement implements TransitionEngine {
  private readonly comments = new Map<string, StoredComment[]>();
  private readonly assignees = new Map<string, string>();
  private readonly pending: Promise<unknown>[] = [];
  private current: FakeRequest | undefined;
  private nextCommentId = 50_000;
  private readonly bulkTasks = new Map<string, Record<string, unknown>>();
  /** Results of post functions and triggers, in the order they ran. */
  readonly outcomes: unknown[] = [];
  /** Errors thrown by post functions or triggers (Jira logs them; tests assert there are none). */
  readonly failures: unknown[] = [];

  constructor(
    private readonly fake: FakeJira,
    private readonly options: WorkflowEnforcementOptions,
  ) {
    fake.engine = this;
    const original = fake.handle.bind(fake);
    fake.handle = (request: FakeRequest): FakeResponse => this.handle(original, request);
  }

  /** Sets an issue's assignee (in Jira terms: the goal's owner). */
  assign(issueKey: string, accountId: string): void {
    this.assignees.set(issueKey, accountId);
  }

  /** Adds a comment as a person would in Jira's UI. */
  comment(issueKey: string, authorId: string, text: string): string {
    return this.storeComment(issueKey, authorId, adf(text));
  }

  /** Waits for every post function and trigger started so far (Jira runs them after the transition). */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }

  /** Moves an issue to a status directly, as a team-managed project does without app rules, and sends the event. */
  moveWithoutRules(issueKey: string, statusName: string, actorId: string): void {
    const issue = this.fake.issueByKey(issueKey);
    const workflow = this.fake.workflowOf(issue);
    const from = workflow.statuses.find((s) => s.id === issue.statusId);
    const to = workflow.statuses.find((s) => s.name === statusName);
    if (!to) throw new Error(`no status ${statusName}`);
    issue.statusId = to.id;
    this.sendIssueUpdated(issue, from?.name, to.name, actorId);
  }

  // ---- TransitionEngine ----

  available(context: TransitionContext): readonly FakeTransition[] {
    return context.workflow.transitions
      .filter((t) => t.from === 'any' || t.from.includes(context.issue.statusId))
      .filter((t) =>
        (this.options.rules[t.id]?.conditions ?? []).every((key) => this.evaluate(key, context, t) === true),
      );
  }

  validate(context: TransitionContext & { readonly transition: FakeTransition }): string | undefined {
    for (const key of this.options.rules[context.transition.id]?.validators ?? []) {
      const module = this.module(key);
      const result = this.evaluate(key, context, context.transition);
      if (result === true) continue;
      if (typeof result === 'string') return result;
      return module.kind === 'expression'
        ? (module.errorMessage ?? DEFAULT_VALIDATOR_MESSAGE)
        : DEFAULT_VALIDATOR_MESSAGE;
    }
    return undefined;
  }

  // ---- internals ----

  private module(key: string): RuleModule {
    const module = this.options.modules[key];
    if (!module) throw new Error(`the workflow uses a rule "${key}" the app does not declare`);
    return module;
  }

  /** Evaluates a rule as Jira does: a failing expression or function counts as not `true`. */
  private evaluate(
    key: string,
    context: TransitionContext,
    transition: FakeTransition,
  ): JiraValue | undefined {
    const module = this.module(key);
    if (module.kind === 'expression') {
      try {
        return evaluateJiraExpression(module.expression, this.expressionContext(context));
      } catch (error) {
        if (error instanceof JiraExpressionError) return undefined;
        throw error;
      }
    }
    const comment = this.requestComment();
    const event = {
      issue: { key: context.issue.key },
      configuration: {},
      transition: {
        from: { id: context.issue.statusId },
        to: { id: transition.to },
        modifiedFields: comment === undefined ? {} : { comment },
      },
    };
    const result = module.run(event) as { result?: unknown; errorMessage?: unknown };
    if (result.result === true) return true;
    return typeof result.errorMessage === 'string' ? result.errorMessage : false;
  }

  private expressionContext(context: TransitionContext): Record<string, JiraValue> {
    const accountId = accountOf(context.actor);
    const properties: Record<string, JiraValue> = {};
    for (const [k, value] of context.issue.properties) properties[k] = value as JiraValue;
    return {
      user: { accountId, displayName: this.options.users[accountId] ?? accountId },
      issue: {
        key: context.issue.key,
        properties,
        comments: (this.comments.get(context.issue.key) ?? []).map((c) => ({
          id: c.id,
          author: { accountId: c.authorId },
          body: c.body as JiraValue,
        })),
      },
    };
  }

  /** The comment added on the transition being requested (REST: `update.comment[].add.body`). */
  private requestComment(): unknown {
    const body = this.current?.body as
      | { update?: { comment?: Array<{ add?: { body?: unknown } }> } }
      | undefined;
    return body?.update?.comment?.find((op) => op.add !== undefined)?.add?.body;
  }

  private storeComment(issueKey: string, authorId: string, body: unknown): string {
    const id = String(this.nextCommentId++);
    const list = this.comments.get(issueKey) ?? [];
    list.push({ id, authorId, body });
    this.comments.set(issueKey, list);
    return id;
  }

  private handle(original: (request: FakeRequest) => FakeResponse, request: FakeRequest): FakeResponse {
    const path = request.path.split('?')[0] ?? '';
    if (request.method.toUpperCase() === 'POST' && path === '/rest/api/3/workflows')
      return this.readWorkflows(request);
    if (request.method.toUpperCase() === 'POST' && path === '/rest/api/3/bulk/issues/transition') {
      return this.bulkTransition(original, request);
    }
    if (request.method.toUpperCase() === 'GET' && path.startsWith('/rest/api/3/bulk/queue/'))
      return this.bulkProgress(request);
    this.current = request;
    const transitionMatch = /^\/rest\/api\/3\/issue\/([^/?]+)\/transitions$/.exec(request.path);
    const issueBefore =
      transitionMatch && request.method.toUpperCase() === 'POST'
        ? this.findIssue(transitionMatch[1] ?? '')
        : undefined;
    const statusBefore = issueBefore?.statusId;
    let response: FakeResponse;
    try {
      response = original(request);
    } finally {
      this.current = undefined;
    }
    if (issueBefore && response.status === 204 && statusBefore !== undefined) {
      this.afterTransition(issueBefore, statusBefore, request);
    }
    const getMatch = /^\/rest\/api\/3\/issue\/([^/?]+)(\?.*)?$/.exec(request.path);
    if (getMatch && request.method.toUpperCase() === 'GET' && response.status === 200) {
      return this.withCommentsAndAssignee(response, new URLSearchParams(getMatch[2] ?? ''));
    }
    return response;
  }

  /**
   * `POST /rest/api/3/workflows` (readWorkflows) for the epic type: statuses, transitions and the app rules
   * configured on them. The fake does not route it yet, so it is answered here, checked against the spec.
   */
  private readWorkflows(request: FakeRequest): FakeResponse {
    const op = this.fake.contract.match(request.method, request.path);
    this.fake.contract.checkRequestBody(op, request.body);
    const pairs =
      (request.body as { projectAndIssueTypes?: Array<{ issueTypeId: string }> }).projectAndIssueTypes ?? [];
    const workflows = pairs.map((pair) => ({
      issueTypeId: pair.issueTypeId,
      workflow: this.fake.workflowOf({ issueTypeId: pair.issueTypeId }),
    }));
    const statuses = new Map<
      string,
      { id: string; name: string; statusCategory: string; statusReference: string }
    >();
    const category = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' } as const;
    for (const { workflow } of workflows) {
      for (const s of workflow.statuses)
        statuses.set(s.id, {
          id: s.id,
          name: s.name,
          statusCategory: category[s.category],
          statusReference: s.id,
        });
    }
    const body = {
      statuses: [...statuses.values()],
      workflows: workflows.map(({ issueTypeId, workflow }) => ({
        id: `wf-${issueTypeId}`,
        name: issueTypeId === '10000' ? 'cxplan department goals' : 'Default workflow',
        statuses: workflow.statuses.map((s) => ({ statusReference: s.id })),
        transitions: workflow.transitions.map((t) => {
          const rules = this.options.rules[t.id] ?? {};
          return {
            id: t.id,
            name: t.name,
            type: t.from === 'any' ? 'GLOBAL' : 'DIRECTED',
            toStatusReference: t.to,
            links: t.from === 'any' ? [] : t.from.map((from) => ({ fromStatusReference: from })),
            conditions: {
              operation: 'ALL',
              conditions: (rules.conditions ?? []).map((k) => forgeRule(k, 'condition')),
              conditionGroups: [],
            },
            validators: (rules.validators ?? []).map((k) => forgeRule(k, 'validator')),
            actions: (rules.postFunctions ?? []).map((k) => forgeRule(k, 'post-function')),
          };
        }),
      })),
    };
    this.fake.contract.checkResponseBody(op, 200, body);
    this.fake.calls.push({
      actor: request.actor,
      method: 'POST',
      operationId: op.operationId,
      path: request.path,
      status: 200,
    });
    return { status: 200, body };
  }

  /**
   * `POST /rest/api/3/bulk/issues/transition` (submitBulkTransition): Jira runs each issue's transition with its
   * conditions and validators and reports failures per issue in the task's progress. Answered here, spec-checked.
   */
  private bulkTransition(
    original: (request: FakeRequest) => FakeResponse,
    request: FakeRequest,
  ): FakeResponse {
    const op = this.fake.contract.match(request.method, request.path);
    this.fake.contract.checkRequestBody(op, request.body);
    const inputs = (
      request.body as {
        bulkTransitionInputs: Array<{ selectedIssueIdsOrKeys: string[]; transitionId: string }>;
      }
    ).bulkTransitionInputs;
    const processed: number[] = [];
    const failed: Record<string, string[]> = {};
    for (const input of inputs) {
      for (const idOrKey of input.selectedIssueIdsOrKeys) {
        const issue = this.findIssue(idOrKey);
        if (!issue) continue;
        const response = this.handle(original, {
          actor: request.actor,
          method: 'POST',
          path: `/rest/api/3/issue/${issue.key}/transitions`,
          body: { transition: { id: input.transitionId } },
        });
        if (response.status === 204) processed.push(Number(issue.id));
        else failed[issue.id] = (response.body as { errorMessages?: string[] }).errorMessages ?? ['failed'];
      }
    }
    const taskId = `bulk-${this.bulkTasks.size + 1}`;
    this.bulkTasks.set(taskId, {
      taskId,
      status: 'COMPLETE',
      progressPercent: 100,
      totalIssueCount: inputs.reduce((n, i) => n + i.selectedIssueIdsOrKeys.length, 0),
      processedAccessibleIssues: processed,
      failedAccessibleIssues: failed,
      invalidOrInaccessibleIssueCount: 0,
    });
    const body = { taskId };
    this.fake.contract.checkResponseBody(op, 201, body);
    this.fake.calls.push({
      actor: request.actor,
      method: 'POST',
      operationId: op.operationId,
      path: request.path,
      status: 201,
    });
    return { status: 201, body };
  }

  private bulkProgress(request: FakeRequest): FakeResponse {
    const op = this.fake.contract.match(request.method, request.path);
    const task = this.bulkTasks.get(op.pathParams.taskId ?? '');
    if (!task) return { status: 404, body: { errorMessages: ['No such task.'], errors: {} } };
    this.fake.contract.checkResponseBody(op, 200, task);
    this.fake.calls.push({
      actor: request.actor,
      method: 'GET',
      operationId: op.operationId,
      path: request.path,
      status: 200,
    });
    return { status: 200, body: task };
  }

  private findIssue(idOrKey: string): FakeIssue | undefined {
    const decoded = decodeURIComponent(idOrKey);
    return this.fake.issues.get(decoded) ?? [...this.fake.issues.values()].find((i) => i.key === decoded);
  }

  /** Jira applies the transition, stores the screen comment, then runs post functions and sends the event. */
  private afterTransition(issue: FakeIssue, fromStatusId: string, request: FakeRequest): void {
    const actorId = accountOf(request.actor);
    const comment = this.requestCommentOf(request);
    const commentId = comment === undefined ? undefined : this.storeComment(issue.key, actorId, comment);
    const workflow = this.fake.workflowOf(issue);
    const transitionId = (request.body as { transition?: { id?: string } }).transition?.id ?? '';
    const event = {
      issue: { id: issue.id, key: issue.key },
      transition: { transitionId, from: { id: fromStatusId }, to: { id: issue.statusId } },
      atlassianId: actorId,
      ...(commentId === undefined ? {} : { comment: { id: commentId } }),
      configuration: {},
    };
    for (const key of this.options.rules[transitionId]?.postFunctions ?? []) {
      const run = this.options.postFunctions[key];
      if (!run) throw new Error(`the workflow uses a post function "${key}" the app does not declare`);
      this.track(run(event));
    }
    const from = workflow.statuses.find((s) => s.id === fromStatusId)?.name;
    const to = workflow.statuses.find((s) => s.id === issue.statusId)?.name;
    this.sendIssueUpdated(issue, from, to ?? '', actorId);
  }

  private requestCommentOf(request: FakeRequest): unknown {
    const body = request.body as { update?: { comment?: Array<{ add?: { body?: unknown } }> } } | undefined;
    return body?.update?.comment?.find((op) => op.add !== undefined)?.add?.body;
  }

  private sendIssueUpdated(issue: FakeIssue, from: string | undefined, to: string, actorId: string): void {
    if (!this.options.issueUpdated) return;
    this.track(
      this.options.issueUpdated({
        eventType: 'avi:jira:updated:issue',
        issue: { id: issue.id, key: issue.key },
        atlassianId: actorId,
        changelog: {
          items: [{ field: 'status', fieldId: 'status', fromString: from ?? null, toString: to }],
        },
      }),
    );
  }

  private track(promise: Promise<unknown>): void {
    this.pending.push(
      promise.then(
        (outcome) => this.outcomes.push(outcome),
        (error: unknown) => this.failures.push(error),
      ),
    );
  }

  private withCommentsAndAssignee(response: FakeResponse, query: URLSearchParams): FakeResponse {
    const body = response.body as { key?: string; fields?: Record<string, unknown> } | undefined;
    if (!body?.key || !body.fields) return response;
    const fields = (query.get('fields') ?? '').split(',');
    const extra: Record<string, unknown> = {};
    if (fields.includes('comment') && !('comment' in body.fields)) {
      const comments = this.comments.get(body.key) ?? [];
      extra.comment = {
        comments: comments.map((c) => ({ id: c.id, author: { accountId: c.authorId }, body: c.body })),
        total: comments.length,
      };
    }
    const assignee = this.assignees.get(body.key);
    if (fields.includes('assignee') && !('assignee' in body.fields)) {
      extra.assignee =
        assignee === undefined
          ? null
          : { accountId: assignee, displayName: this.options.users[assignee] ?? assignee };
    }
    return { ...response, body: { ...body, fields: { ...body.fields, ...extra } } };
  }
}

/** The Forge rule of a module as Jira's workflow API lists it: the module's extension id ends with its key. */
function forgeRule(
  moduleKey: string,
  kind: 'condition' | 'validator' | 'post-function',
): { ruleKey: string; parameters: Record<string, string> } {
  return {
    ruleKey: `forge:${kind}`,
    parameters: { key: `ari:cloud:ecosystem::extension/cxplan-app/production/static/${moduleKey}` },
  };
}

function accountOf(actor: Actor): string {
  return actor.kind === 'app' ? APP_ACCOUNT_ID : actor.accountId;
}

/** A one-paragraph Atlassian document. */
export function adf(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
