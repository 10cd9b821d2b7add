import { matchesJql, parseJql } from './fake-jql';
import {
  ContractViolation,
  jiraContract,
  type MatchedOperation,
  type OpenApiContract,
} from './openapi-contract';

/** The account Jira puts in `user` (and on comments) when the app itself (asApp) makes a request. */
export const APP_ACCOUNT_ID = 'cxplan-app-user';

/** Who makes a request: the app (`asApp`) or a user (`asUser`). */
export type Actor = { readonly kind: 'app' } | { readonly kind: 'user'; readonly accountId: string };

/** A request as the fake sees it. */
export interface FakeRequest {
  readonly actor: Actor;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** A response the fake gives. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One logged call, for counting and assertions. */
export interface LoggedCall {
  readonly actor: Actor;
  readonly method: string;
  readonly operationId: string;
  readonly path: string;
  readonly status: number;
}

type CategoryKey = 'new' | 'indeterminate' | 'done';

/** A workflow status and its category. */
export interface FakeStatus {
  readonly id: string;
  readonly name: string;
  readonly category: CategoryKey;
}

/** A workflow transition; `from: 'any'` is a global transition. */
export interface FakeTransition {
  readonly id: string;
  readonly name: string;
  readonly from: readonly string[] | 'any';
  readonly to: string;
}

/** A workflow: statuses, the initial one, transitions. */
export interface FakeWorkflow {
  readonly statuses: readonly FakeStatus[];
  readonly initialStatusId: string;
  readonly transitions: readonly FakeTransition[];
}

/** An issue type of the fake project. */
export interface FakeIssueType {
  readonly id: string;
  readonly name: string;
  readonly hierarchyLevel: number;
}

/** A comment as the fake stores it (the body is ADF). */
export interface FakeComment {
  readonly id: string;
  readonly authorId: string;
  readonly body: unknown;
}

/** An issue as the fake stores it. */
export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  readonly projectKey: string;
  issueTypeId: string;
  summary: string;
  description: unknown;
  labels: string[];
  parentKey: string | undefined;
  statusId: string;
  readonly properties: Map<string, unknown>;
  /** The assignee's account id (in cxplan: the owner of a goal or action). */
  assigneeId: string | undefined;
  /** The due date (`duedate`, YYYY-MM-DD). */
  dueDate: string | undefined;
  readonly comments: FakeComment[];
}

/** Context a transition engine decides on. */
export interface TransitionContext {
  readonly issue: FakeIssue;
  readonly actor: Actor;
  readonly workflow: FakeWorkflow;
}

/** The body of `POST /rest/api/3/issue/{key}/transitions` (a transition-screen comment comes in `update.comment`). */
export interface TransitionBody {
  readonly transition?: { readonly id?: string };
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly update?: { readonly comment?: ReadonlyArray<{ readonly add?: { readonly body?: unknown } }> };
}

/** A transition being requested: the context, the transition and the request body. */
export interface TransitionRequest extends TransitionContext {
  readonly transition: FakeTransition;
  readonly body: TransitionBody;
}

/** A transition Jira has applied: where it came from and the id of the comment added on its screen. */
export interface AppliedTransition extends TransitionRequest {
  readonly fromStatusId: string;
  readonly commentId: string | undefined;
}

/** The app rules configured on a transition, by module key, as Jira's workflow API lists them. */
export interface TransitionRules {
  readonly conditions?: readonly string[];
  readonly validators?: readonly string[];
  readonly postFunctions?: readonly string[];
}

/**
 * Decides which transitions an actor sees and whether one may be done. The default only follows the workflow's
 * `from` lists; conditions, validators and post functions (who may verify) plug in here.
 */
export interface TransitionEngine {
  available(context: TransitionContext): readonly FakeTransition[];
  /**
   * An error message when the transition is refused, undefined when allowed. A promise when a validator is an app
   * function (Jira waits for its answer): only {@link FakeJira.handleAsync} serves such a transition.
   */
  validate(request: TransitionRequest): string | undefined | Promise<string | undefined>;
  /** Called after a transition was applied and its screen comment stored (Jira runs post functions here). */
  applied?(transition: AppliedTransition): void;
  /** The rules configured on a transition, for `POST /rest/api/3/workflows`; none when absent. */
  rulesOf?(transition: FakeTransition, workflow?: FakeWorkflow): TransitionRules;
}

/** The plain workflow engine: a transition is available from the statuses it lists (or from any). */
export const workflowOnlyEngine: TransitionEngine = {
  available: ({ issue, workflow }) =>
    workflow.transitions.filter((t) => t.from === 'any' || t.from.includes(issue.statusId)),
  validate: () => undefined,
};

/** A fault to inject: the next `times` matching requests get `response` instead of being handled. */
export interface Fault {
  readonly when: (request: FakeRequest, operationId: string) => boolean;
  readonly response: FakeResponse;
  times: number;
}

/** The default three-status workflow most Jira projects start with. */
export function simpleWorkflow(): FakeWorkflow {
  return {
    statuses: [
      { id: '1', name: 'To Do', category: 'new' },
      { id: '3', name: 'In Progress', category: 'indeterminate' },
      { id: '10001', name: 'Done', category: 'done' },
    ],
    initialStatusId: '1',
    transitions: [
      { id: '11', name: 'To Do', from: 'any', to: '1' },
      { id: '21', name: 'In Progress', from: 'any', to: '3' },
      { id: '31', name: 'Done', from: 'any', to: '10001' },
    ],
  };
}

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
} as const;

const MAX_BULK = 50;
const MAX_PAGE = 100;
const BASE_URL = 'https://fake.atlassian.net';

/** Options of a fake Jira site. */
export interface FakeJiraOptions {
  readonly projectKey?: string;
  /** Leave out the epic type to play a project that cannot hold cxplan goals. */
  readonly issueTypes?: readonly FakeIssueType[];
  readonly workflow?: FakeWorkflow;
  /** Workflows by issue type id (e.g. the verification workflow for epics); others use `workflow`. */
  readonly workflows?: Readonly<Record<string, FakeWorkflow>>;
  /** Display names by account id (assignees, comment authors). */
  readonly users?: Readonly<Record<string, string>>;
}

/**
 * An in-memory Jira Cloud site for tests. Every request is checked against Jira's OpenAPI description (path,
 * method, not deprecated, request body schema) and every success response is checked against the response
 * schema, so the fake cannot drift into answering shapes Jira never sends.
 */
export class FakeJira {
  readonly contract: OpenApiContract = jiraContract();
  readonly calls: LoggedCall[] = [];
  readonly faults: Fault[] = [];
  readonly issues = new Map<string, FakeIssue>();
  readonly projectKey: string;
  readonly issueTypes: readonly FakeIssueType[];
  /** The workflow of issue types without their own. */
  workflow: FakeWorkflow;
  /** Workflows by issue type id. */
  readonly workflows: Map<string, FakeWorkflow>;
  /** Display names by account id. */
  readonly users: Map<string, string>;
  engine: TransitionEngine = workflowOnlyEngine;
  /** Accounts that may browse issues but not edit them (Jira's EDIT_ISSUES project permission denied). */
  readonly readOnly = new Set<string>();
  /** Per-item failures of a bulk create: return field errors to make that item fail. */
  failBulkItem:
    | ((update: Record<string, unknown>, index: number) => Record<string, string> | undefined)
    | undefined;
  /** Called after a request was applied; throw here to play an invocation killed right after Jira answered. */
  afterRequest: ((request: FakeRequest, operationId: string, response: FakeResponse) => void) | undefined;
  private nextId = 10_000;
  private nextNumber = 1;
  private nextCommentId = 50_000;
  private readonly bulkTasks = new Map<string, BulkTask>();

  constructor(options: FakeJiraOptions = {}) {
    this.projectKey = options.projectKey ?? 'CX';
    this.issueTypes = options.issueTypes ?? [
      { id: '10000', name: 'Epic', hierarchyLevel: 1 },
      { id: '10001', name: 'Task', hierarchyLevel: 0 },
      { id: '10002', name: 'Story', hierarchyLevel: 0 },
      { id: '10003', name: 'Subtask', hierarchyLevel: -1 },
    ];
    this.workflow = options.workflow ?? simpleWorkflow();
    this.workflows = new Map(Object.entries(options.workflows ?? {}));
    this.users = new Map(Object.entries(options.users ?? {}));
  }

  /** The workflow an issue follows (by its issue type). */
  workflowOf(issue: Pick<FakeIssue, 'issueTypeId'>): FakeWorkflow {
    return this.workflows.get(issue.issueTypeId) ?? this.workflow;
  }

  /** Injects a fault for the next `times` matching requests. */
  inject(fault: { when: Fault['when']; response: FakeResponse; times?: number }): void {
    this.faults.push({ when: fault.when, response: fault.response, times: fault.times ?? 1 });
  }

  /** Counts logged calls, optionally only those whose method is not GET (writes) or of one operation. */
  count(filter: { writes?: boolean; operationId?: string } = {}): number {
    return this.calls.filter(
      (call) =>
        (!filter.writes || !(call.method === 'GET' || call.operationId.startsWith('searchAndReconsile'))) &&
        (!filter.operationId || call.operationId === filter.operationId),
    ).length;
  }

  /**
   * Handles one request; contract violations throw (a bug in the app, never a Jira answer). Throws for a transition
   * whose validators include an app function (Jira waits for it): use {@link handleAsync} for those.
   */
  handle(request: FakeRequest): FakeResponse {
    const response = this.process(request);
    if (response instanceof Promise)
      throw new Error('this request runs an app function validator: use handleAsync');
    return response;
  }

  /** Handles one request, waiting for app function validators as Jira does (the app's own requests come here). */
  async handleAsync(request: FakeRequest): Promise<FakeResponse> {
    return this.process(request);
  }

  private process(request: FakeRequest): FakeResponse | Promise<FakeResponse> {
    const op = this.contract.match(request.method, request.path);
    this.contract.checkRequestBody(op, request.body);
    const fault = this.faults.find((f) => f.times > 0 && f.when(request, op.operationId));
    const finish = (response: FakeResponse): FakeResponse => {
      if (!fault && response.status >= 200 && response.status < 300) {
        this.contract.checkResponseBody(op, response.status, response.body);
      }
      this.calls.push({
        actor: request.actor,
        method: request.method.toUpperCase(),
        operationId: op.operationId,
        path: request.path,
        status: response.status,
      });
      this.afterRequest?.(request, op.operationId, response);
      return response;
    };
    if (fault) {
      fault.times -= 1;
      return finish(fault.response);
    }
    const routed = this.route(request, op);
    return routed instanceof Promise ? routed.then(finish) : finish(routed);
  }

  // ---- direct access for tests (what a person does in Jira's UI) ----

  /** Edits an issue's summary as a person would in Jira. */
  editSummary(key: string, summary: string): void {
    this.issueByKey(key).summary = summary;
  }

  /** Moves an issue to the first status of a category, as a person dragging it on a board. */
  moveToCategory(key: string, category: CategoryKey): void {
    const issue = this.issueByKey(key);
    const status = this.workflowOf(issue).statuses.find((s) => s.category === category);
    if (!status) throw new Error(`workflow has no ${category} status`);
    issue.statusId = status.id;
  }

  /** Assigns an issue, as a person would in Jira's UI. */
  assign(key: string, accountId: string | undefined): void {
    this.issueByKey(key).assigneeId = accountId;
  }

  /** Sets the due date, as a person would in Jira's UI. */
  setDueDate(key: string, due: string | undefined): void {
    this.issueByKey(key).dueDate = due;
  }

  /** The name of an issue's status. */
  statusNameOf(issue: FakeIssue): string {
    return this.status(this.workflowOf(issue), issue.statusId).name;
  }

  /** Adds a comment (ADF body) as a person would in Jira's UI; returns its id. */
  addComment(key: string, authorId: string, body: unknown): string {
    return this.storeComment(this.issueByKey(key), authorId, body);
  }

  /** The stored issue with this key. */
  issueByKey(key: string): FakeIssue {
    for (const issue of this.issues.values()) if (issue.key === key) return issue;
    throw new Error(`no issue ${key}`);
  }

  /** The status category of an issue. */
  categoryOf(issue: FakeIssue): CategoryKey {
    return this.status(this.workflowOf(issue), issue.statusId).category;
  }

  // ---- routing ----

  private route(
    request: FakeRequest,
    op: MatchedOperation & { query: URLSearchParams },
  ): FakeResponse | Promise<FakeResponse> {
    switch (op.operationId) {
      case 'searchAndReconsileIssuesUsingJqlPost':
        return this.search(request.body as SearchBody);
      case 'createIssues':
        return this.bulkCreate(request.body as { issueUpdates?: Record<string, unknown>[] });
      case 'editIssue':
        return this.edit(
          op.pathParams.issueIdOrKey ?? '',
          request.body as { fields?: Record<string, unknown> },
        );
      case 'getIssue':
        return this.getIssue(op.pathParams.issueIdOrKey ?? '', op.query);
      case 'setIssueProperty':
        return this.setProperty(
          op.pathParams.issueIdOrKey ?? '',
          op.pathParams.propertyKey ?? '',
          request.body,
        );
      case 'getTransitions':
        return this.getTransitions(op.pathParams.issueIdOrKey ?? '', request.actor);
      case 'doTransition':
        return this.doTransition(
          op.pathParams.issueIdOrKey ?? '',
          request.actor,
          request.body as TransitionBody,
        );
      case 'getProject':
        return this.getProject(op.pathParams.projectIdOrKey ?? '');
      case 'getComment':
        return this.getComment(op.pathParams.issueIdOrKey ?? '', op.pathParams.id ?? '');
      case 'assignIssue':
        return this.assignIssue(
          op.pathParams.issueIdOrKey ?? '',
          request.body as { accountId?: string | null },
        );
      case 'readWorkflows':
        return this.readWorkflows(request.body as ReadWorkflowsBody);
      case 'submitBulkTransition':
        return this.bulkTransition(request.actor, request.body as BulkTransitionBody);
      case 'getBulkOperationProgress':
        return this.bulkProgress(op.pathParams.taskId ?? '');
      case 'getCurrentUser':
        return { status: 200, body: this.user(accountOf(request.actor)) };
      case 'getMyPermissions':
        return this.myPermissions(request.actor, op.query);
      default:
        throw new ContractViolation(
          `the fake Jira does not implement ${op.operationId} (${op.template}) yet`,
        );
    }
  }

  private find(idOrKey: string): FakeIssue | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;
    for (const issue of this.issues.values()) if (issue.key === idOrKey) return issue;
    return undefined;
  }

  private status(workflow: FakeWorkflow, id: string): FakeStatus {
    const status = workflow.statuses.find((s) => s.id === id);
    if (!status) throw new Error(`unknown status ${id}`);
    return status;
  }

  private issueType(id: string): FakeIssueType | undefined {
    return this.issueTypes.find((t) => t.id === id);
  }

  private getProject(idOrKey: string): FakeResponse {
    if (idOrKey !== this.projectKey && idOrKey !== '10000')
      return notFound(`No project could be found with key '${idOrKey}'.`);
    return {
      status: 200,
      body: {
        id: '10000',
        key: this.projectKey,
        name: 'Customer experience',
        self: `${BASE_URL}/rest/api/3/project/10000`,
        issueTypes: this.issueTypes.map((t) => ({
          id: t.id,
          name: t.name,
          hierarchyLevel: t.hierarchyLevel,
          subtask: t.hierarchyLevel < 0,
        })),
      },
    };
  }

  private search(body: SearchBody): FakeResponse {
    const query = parseJql(body.jql ?? '');
    const matching = [...this.issues.values()]
      .filter((issue) =>
        matchesJql(query.where, {
          projectKey: issue.projectKey,
          labels: issue.labels,
          properties: issue.properties,
        }),
      )
      .sort((a, b) => Number(a.id) - Number(b.id));
    if (query.orderBy.direction === 'desc') matching.reverse();
    const offset = body.nextPageToken ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      return badRequest({ nextPageToken: 'The page token is invalid.' });
    const size = Math.min(body.maxResults ?? 50, MAX_PAGE);
    const page = matching.slice(offset, offset + size);
    const isLast = offset + size >= matching.length;
    return {
      status: 200,
      body: {
        issues: page.map((issue) => this.render(issue, body.fields ?? ['id'], body.properties ?? [])),
        isLast,
        ...(!isLast && { nextPageToken: Buffer.from(String(offset + size)).toString('base64url') }),
      },
    };
  }

  private getIssue(idOrKey: string, query: URLSearchParams): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    const fields = (query.get('fields') ?? '*all').split(',');
    const properties = (query.get('properties') ?? '').split(',').filter(Boolean);
    return { status: 200, body: this.render(issue, fields, properties) };
  }

  private render(
    issue: FakeIssue,
    fields: readonly string[],
    properties: readonly string[],
  ): Record<string, unknown> {
    const all = fields.includes('*all') || fields.includes('*navigable');
    const want = (name: string): boolean => all || fields.includes(name);
    const status = this.status(this.workflowOf(issue), issue.statusId);
    const type = this.issueType(issue.issueTypeId);
    const rendered: Record<string, unknown> = {};
    if (want('summary')) rendered.summary = issue.summary;
    if (want('description')) rendered.description = issue.description ?? null;
    if (want('labels')) rendered.labels = [...issue.labels];
    if (want('issuetype')) {
      rendered.issuetype = {
        id: issue.issueTypeId,
        name: type?.name,
        hierarchyLevel: type?.hierarchyLevel,
        subtask: false,
      };
    }
    if (want('parent') && issue.parentKey) {
      const parent = this.find(issue.parentKey);
      if (parent)
        rendered.parent = {
          id: parent.id,
          key: parent.key,
          self: `${BASE_URL}/rest/api/3/issue/${parent.id}`,
        };
    }
    if (want('status')) {
      rendered.status = {
        id: status.id,
        name: status.name,
        self: `${BASE_URL}/rest/api/3/status/${status.id}`,
        statusCategory: CATEGORY[status.category],
      };
    }
    if (want('assignee'))
      rendered.assignee = issue.assigneeId === undefined ? null : this.user(issue.assigneeId);
    if (want('duedate')) rendered.duedate = issue.dueDate ?? null;
    if (want('comment')) {
      rendered.comment = {
        comments: issue.comments.map((c) => this.renderComment(issue, c)),
        maxResults: issue.comments.length,
        startAt: 0,
        total: issue.comments.length,
      };
    }
    const props: Record<string, unknown> = {};
    for (const key of properties) if (issue.properties.has(key)) props[key] = issue.properties.get(key);
    return {
      id: issue.id,
      key: issue.key,
      self: `${BASE_URL}/rest/api/3/issue/${issue.id}`,
      fields: rendered,
      ...(properties.length > 0 && { properties: props }),
    };
  }

  /** Checks issue fields the way Jira's create and edit screens do; returns field → message. */
  private checkFields(
    fields: Record<string, unknown>,
    creating: boolean,
    issue?: FakeIssue,
  ): Record<string, string> {
    const errors: Record<string, string> = {};
    const known = new Set(['project', 'issuetype', 'summary', 'description', 'labels', 'parent']);
    for (const name of Object.keys(fields)) {
      if (!known.has(name))
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    if (creating) {
      const project = fields.project as { key?: string; id?: string } | undefined;
      if (!project || (project.key !== this.projectKey && project.id !== '10000'))
        errors.project = 'valid project is required';
    }
    const typeId = (fields.issuetype as { id?: string } | undefined)?.id ?? issue?.issueTypeId;
    const type = typeId ? this.issueType(typeId) : undefined;
    if (creating && !type) errors.issuetype = 'The issue type selected is invalid.';
    if ('summary' in fields || creating) {
      const summary = fields.summary;
      if (typeof summary !== 'string' || summary.trim() === '')
        errors.summary = 'You must specify a summary of the issue.';
      else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    }
    if ('description' in fields) {
      const doc = fields.description as { type?: string; version?: number } | null;
      if (doc !== null && (doc?.type !== 'doc' || doc.version !== 1))
        errors.description = 'Operation value must be an Atlassian Document.';
    }
    if ('labels' in fields) {
      const labels = fields.labels;
      if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l))) {
        errors.labels = 'Labels must be strings without spaces.';
      }
    }
    if ('parent' in fields) {
      const parentKey = (fields.parent as { key?: string } | null)?.key;
      const parent = parentKey ? this.find(parentKey) : undefined;
      const parentType = parent ? this.issueType(parent.issueTypeId) : undefined;
      if (!parent) errors.parent = `Could not find issue by id or key: ${parentKey}`;
      else if (!type || !parentType || parentType.hierarchyLevel !== type.hierarchyLevel + 1) {
        errors.parent = `Issue type '${type?.name}' cannot have a parent of type '${parentType?.name}'.`;
      }
    }
    return errors;
  }

  private bulkCreate(body: { issueUpdates?: Record<string, unknown>[] }): FakeResponse {
    const updates = body.issueUpdates ?? [];
    if (updates.length > MAX_BULK) {
      return {
        status: 400,
        body: { errorMessages: [`You can create at most ${MAX_BULK} issues in one request.`], errors: {} },
      };
    }
    const issues: unknown[] = [];
    const errors: unknown[] = [];
    updates.forEach((update, index) => {
      const fields = (update.fields ?? {}) as Record<string, unknown>;
      const fieldErrors = {
        ...this.checkFields(fields, true),
        ...(this.failBulkItem?.(update, index) ?? {}),
      };
      if (Object.keys(fieldErrors).length > 0) {
        errors.push({
          status: 400,
          failedElementNumber: index,
          elementErrors: { errorMessages: [], errors: fieldErrors },
        });
        return;
      }
      const id = String(this.nextId++);
      const issue: FakeIssue = {
        id,
        key: `${this.projectKey}-${this.nextNumber++}`,
        projectKey: this.projectKey,
        issueTypeId: (fields.issuetype as { id: string }).id,
        summary: fields.summary as string,
        description: fields.description ?? null,
        labels: [...((fields.labels as string[] | undefined) ?? [])],
        parentKey: (fields.parent as { key?: string } | undefined)?.key,
        statusId: this.workflowOf({ issueTypeId: (fields.issuetype as { id: string }).id }).initialStatusId,
        properties: new Map(),
        assigneeId: undefined,
        dueDate: undefined,
        comments: [],
      };
      for (const property of (update.properties ?? []) as Array<{ key: string; value: unknown }>) {
        issue.properties.set(property.key, structuredClone(property.value));
      }
      this.issues.set(id, issue);
      issues.push({ id, key: issue.key, self: `${BASE_URL}/rest/api/3/issue/${id}` });
    });
    return { status: issues.length > 0 ? 201 : 400, body: { issues, errors } };
  }

  private edit(idOrKey: string, body: { fields?: Record<string, unknown> }): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    const fields = body.fields ?? {};
    const errors = this.checkFields(fields, false, issue);
    if (Object.keys(errors).length > 0) return badRequest(errors);
    if ('summary' in fields) issue.summary = fields.summary as string;
    if ('description' in fields) issue.description = fields.description ?? null;
    if ('labels' in fields) issue.labels = [...(fields.labels as string[])];
    if ('parent' in fields) issue.parentKey = (fields.parent as { key: string }).key;
    return { status: 204 };
  }

  private setProperty(idOrKey: string, key: string, value: unknown): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    if (key.length > 255) return badRequest({ propertyKey: 'The property key is too long.' });
    if (JSON.stringify(value).length > 32_768)
      return badRequest({ value: 'The property value is larger than 32768 bytes.' });
    const existed = issue.properties.has(key);
    issue.properties.set(key, structuredClone(value));
    return { status: existed ? 200 : 201, body: {} };
  }

  private getTransitions(idOrKey: string, actor: Actor): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    const workflow = this.workflowOf(issue);
    const available = this.engine.available({ issue, actor, workflow });
    return {
      status: 200,
      body: {
        transitions: available.map((t) => {
          const to = this.status(workflow, t.to);
          return {
            id: t.id,
            name: t.name,
            hasScreen: false,
            isAvailable: true,
            isConditional: false,
            isGlobal: t.from === 'any',
            isInitial: false,
            to: {
              id: to.id,
              name: to.name,
              self: `${BASE_URL}/rest/api/3/status/${to.id}`,
              statusCategory: CATEGORY[to.category],
            },
          };
        }),
      },
    };
  }

  private doTransition(
    idOrKey: string,
    actor: Actor,
    body: TransitionBody,
  ): FakeResponse | Promise<FakeResponse> {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    const answer = (refusal: string | undefined): FakeResponse =>
      refusal === undefined ? { status: 204 } : badRequest({}, [refusal]);
    const refusal = this.transition(issue, actor, body);
    return refusal instanceof Promise ? refusal.then(answer) : answer(refusal);
  }

  /**
   * Runs a transition as Jira does: it must be available (conditions), pass the validators, then the status
   * changes, the screen comment is stored and the engine's post functions run. Returns Jira's refusal message.
   */
  private transition(
    issue: FakeIssue,
    actor: Actor,
    body: TransitionBody,
  ): string | undefined | Promise<string | undefined> {
    const context = { issue, actor, workflow: this.workflowOf(issue) };
    const transition = this.engine.available(context).find((t) => t.id === body.transition?.id);
    if (!transition) return `Transition id '${body.transition?.id}' is not valid for this issue.`;
    const request = { ...context, transition, body };
    const apply = (refusal: string | undefined): string | undefined => {
      if (refusal) return refusal;
      const fromStatusId = issue.statusId;
      issue.statusId = transition.to;
      const comment = body.update?.comment?.find((op) => op.add !== undefined)?.add?.body;
      const commentId =
        comment === undefined ? undefined : this.storeComment(issue, accountOf(actor), comment);
      this.engine.applied?.({ ...request, fromStatusId, commentId });
      return undefined;
    };
    const refusal = this.engine.validate(request);
    return refusal instanceof Promise ? refusal.then(apply) : apply(refusal);
  }

  private storeComment(issue: FakeIssue, authorId: string, body: unknown): string {
    const id = String(this.nextCommentId++);
    issue.comments.push({ id, authorId, body: structuredClone(body) });
    return id;
  }

  private user(accountId: string): Record<string, unknown> {
    return {
      accountId,
      displayName: this.users.get(accountId) ?? accountId,
      active: true,
      self: `${BASE_URL}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    };
  }

  private renderComment(issue: FakeIssue, comment: FakeComment): Record<string, unknown> {
    return {
      id: comment.id,
      self: `${BASE_URL}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
      author: this.user(comment.authorId),
      body: comment.body,
    };
  }

  private getComment(idOrKey: string, commentId: string): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    const comment = issue.comments.find((c) => c.id === commentId);
    if (!comment) return notFound(`Can not find a comment for the id: ${commentId}.`);
    return { status: 200, body: this.renderComment(issue, comment) };
  }

  /** `GET /rest/api/3/mypermissions`: EDIT_ISSUES is granted unless the account is read-only. */
  private myPermissions(actor: Actor, query: URLSearchParams): FakeResponse {
    const issueKey = query.get('issueKey');
    if (issueKey && !this.find(issueKey)) return notFound(`Issue does not exist: ${issueKey}`);
    const wanted = (query.get('permissions') ?? '').split(',').filter(Boolean);
    const permissions: Record<string, unknown> = {};
    for (const key of wanted) {
      permissions[key] = {
        id: key === 'EDIT_ISSUES' ? '12' : '0',
        key,
        name: key,
        type: 'PROJECT',
        description: key,
        havePermission: !(
          key === 'EDIT_ISSUES' &&
          actor.kind === 'user' &&
          this.readOnly.has(actor.accountId)
        ),
      };
    }
    return { status: 200, body: { permissions } };
  }

  private assignIssue(idOrKey: string, body: { accountId?: string | null }): FakeResponse {
    const issue = this.find(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');
    issue.assigneeId = body.accountId ?? undefined;
    return { status: 204 };
  }

  /** `POST /rest/api/3/workflows` (readWorkflows): statuses, transitions and the rules the engine enforces. */
  private readWorkflows(body: ReadWorkflowsBody): FakeResponse {
    const workflows = (body.projectAndIssueTypes ?? []).map((pair) => ({
      issueTypeId: pair.issueTypeId,
      workflow: this.workflowOf({ issueTypeId: pair.issueTypeId }),
    }));
    const category = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' } as const;
    const statuses = new Map<string, Record<string, string>>();
    for (const { workflow } of workflows) {
      for (const s of workflow.statuses)
        statuses.set(s.id, {
          id: s.id,
          name: s.name,
          statusCategory: category[s.category],
          statusReference: s.id,
        });
    }
    return {
      status: 200,
      body: {
        statuses: [...statuses.values()],
        workflows: workflows.map(({ issueTypeId, workflow }) => ({
          id: `wf-${issueTypeId}`,
          name: `Workflow of issue type ${issueTypeId}`,
          statuses: workflow.statuses.map((s) => ({ statusReference: s.id })),
          transitions: workflow.transitions.map((t) => {
            const rules = this.engine.rulesOf?.(t, workflow) ?? {};
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
      },
    };
  }

  /**
   * `POST /rest/api/3/bulk/issues/transition` (submitBulkTransition): each issue's transition runs with its
   * conditions and validators; failures are reported per issue in the task's progress, not as an error.
   */
  private async bulkTransition(actor: Actor, body: BulkTransitionBody): Promise<FakeResponse> {
    const processed: number[] = [];
    const failed: Record<string, string[]> = {};
    let total = 0;
    let inaccessible = 0;
    for (const input of body.bulkTransitionInputs) {
      for (const idOrKey of input.selectedIssueIdsOrKeys) {
        total += 1;
        const issue = this.find(idOrKey);
        if (!issue) {
          inaccessible += 1;
          continue;
        }
        const refusal = await this.transition(issue, actor, { transition: { id: input.transitionId } });
        if (refusal === undefined) processed.push(Number(issue.id));
        else failed[issue.id] = [refusal];
      }
    }
    const taskId = `bulk-${this.bulkTasks.size + 1}`;
    this.bulkTasks.set(taskId, {
      taskId,
      status: 'COMPLETE',
      progressPercent: 100,
      totalIssueCount: total,
      processedAccessibleIssues: processed,
      failedAccessibleIssues: failed,
      invalidOrInaccessibleIssueCount: inaccessible,
    });
    return { status: 201, body: { taskId } };
  }

  private bulkProgress(taskId: string): FakeResponse {
    const task = this.bulkTasks.get(taskId);
    return task ? { status: 200, body: task } : notFound('No such task.');
  }
}

interface ReadWorkflowsBody {
  projectAndIssueTypes?: Array<{ projectId: string; issueTypeId: string }>;
}

interface BulkTransitionBody {
  bulkTransitionInputs: Array<{ selectedIssueIdsOrKeys: string[]; transitionId: string }>;
}

interface BulkTask {
  readonly taskId: string;
  readonly status: 'COMPLETE';
  readonly progressPercent: number;
  readonly totalIssueCount: number;
  readonly processedAccessibleIssues: number[];
  readonly failedAccessibleIssues: Record<string, string[]>;
  readonly invalidOrInaccessibleIssueCount: number;
}

/** The account id a request acts as. */
export function accountOf(actor: Actor): string {
  return actor.kind === 'app' ? APP_ACCOUNT_ID : actor.accountId;
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

interface SearchBody {
  jql?: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  properties?: string[];
}

function notFound(message: string): FakeResponse {
  return { status: 404, body: { errorMessages: [message], errors: {} } };
}

function badRequest(errors: Record<string, string>, errorMessages: string[] = []): FakeResponse {
  return { status: 400, body: { errorMessages, errors } };
}
