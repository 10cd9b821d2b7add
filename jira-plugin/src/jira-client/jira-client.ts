import {
  type CreatedIssues,
  CreatedIssuesSchema,
  describeErrors,
  type EntityProperty,
  JiraErrorCollectionSchema,
  type Project,
  ProjectSchema,
  type parseOrThrow,
  parseWith,
  SearchPageSchema,
  type Transitions,
  TransitionsSchema,
  type WorkflowReadResponse,
  WorkflowReadResponseSchema,
} from '@cxplan/core';
import { type APIResponse, route } from '@forge/api';
import * as v from 'valibot';

const MyselfSchema = v.object({ accountId: v.string(), displayName: v.optional(v.string()) });
const MyPermissionsSchema = v.object({
  permissions: v.record(v.string(), v.object({ havePermission: v.optional(v.boolean()) })),
});

/** What `api.asApp()` and `api.asUser()` give: the one method the client needs. */
export interface JiraRequester {
  requestJira(
    path: ReturnType<typeof route>,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<APIResponse>;
}

/** Time as the client sees it; injectable so a 429 storm in a test runs without real sleeping. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Forge's invocation limits: a resolver call has 25 s, a web trigger 55 s. Longer work belongs in a queue consumer. */
export const RESOLVER_BUDGET_MS = 25_000;
/** A web trigger invocation's time budget. */
export const WEBTRIGGER_BUDGET_MS = 55_000;

/** How the client waits and retries. */
export interface ClientOptions {
  readonly clock?: Clock;
  /** The invocation's total time budget, counted from `startedAt`. */
  readonly budgetMs?: number;
  readonly startedAt?: number;
  /** Time kept free at the end of the budget for saving what was done. */
  readonly reserveMs?: number;
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
}

/** Jira refused a request; the message names the operation, the issue and each field Jira rejected. */
export class JiraError extends Error {
  override readonly name: string = 'JiraError';
  constructor(
    message: string,
    readonly status: number,
    readonly operation: string,
    readonly issue: string | undefined,
    readonly fieldErrors: Readonly<Record<string, string>>,
    readonly messages: readonly string[],
  ) {
    super(message);
  }
}

/** Retrying would run past the invocation's time budget: stop cleanly, the next sync continues. */
export class JiraBudgetExceeded extends JiraError {
  override readonly name = 'JiraBudgetExceeded';
}

/** Describes field errors as `field: message` pairs. */
export function describeFieldErrors(errors: Readonly<Record<string, string>>): string {
  return Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');
}

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

/** A created issue or a per-item failure of a bulk create, in request order. */
export type BulkItemResult =
  | { readonly ok: true; readonly id: string; readonly key: string }
  | {
      readonly ok: false;
      readonly status: number;
      readonly fieldErrors: Readonly<Record<string, string>>;
      readonly messages: readonly string[];
    };

/** One issue to create: its fields and the properties written with it. */
export interface IssueCreate {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly properties?: readonly EntityProperty[];
}

/** Jira's bulk-create limit per request. */
export const BULK_CREATE_LIMIT = 50;

/**
 * A thin typed layer over `requestJira`: one method per Jira operation the app uses, responses parsed with the
 * core's schemas, 429 and 5xx retried with backoff inside the invocation's time budget. It is, with the fake
 * Jira, the only place that knows REST paths; each call names its route literally so `forge lint` can check scopes.
 */
export class JiraClient {
  private readonly clock: Clock;
  private readonly deadline: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(
    private readonly api: JiraRequester,
    options: ClientOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    const startedAt = options.startedAt ?? this.clock.now();
    this.deadline = startedAt + (options.budgetMs ?? RESOLVER_BUDGET_MS) - (options.reserveMs ?? 2_000);
    this.maxRetries = options.maxRetries ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /** Milliseconds left before the client stops starting new work. */
  remainingMs(): number {
    return this.deadline - this.clock.now();
  }

  /** Reads a project with its issue types. */
  async getProject(projectKey: string): Promise<Project> {
    const response = await this.send('read project', projectKey, true, () =>
      this.api.requestJira(route`/rest/api/3/project/${projectKey}`, {
        method: 'GET',
        headers: JSON_HEADERS,
      }),
    );
    return parse(ProjectSchema, await response.json(), 'project');
  }

  /** Runs a JQL search over every page (`/rest/api/3/search/jql` with `nextPageToken`), returning raw issues. */
  async searchAll(jql: string, fields: readonly string[], properties: readonly string[]): Promise<unknown[]> {
    const issues: unknown[] = [];
    let nextPageToken: string | undefined;
    do {
      const body = JSON.stringify({
        jql,
        fields,
        properties,
        maxResults: 100,
        ...(nextPageToken && { nextPageToken }),
      });
      const response = await this.send('search issues', undefined, true, () =>
        this.api.requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: JSON_HEADERS, body }),
      );
      const page = parse(SearchPageSchema, await response.json(), 'search page');
      issues.push(...page.issues);
      nextPageToken =
        page.isLast === false || (page.isLast === undefined && page.nextPageToken)
          ? (page.nextPageToken ?? undefined)
          : undefined;
    } while (nextPageToken);
    return issues;
  }

  /** Reads one issue with the given fields and properties. */
  async getIssue(
    issueKey: string,
    fields: readonly string[],
    properties: readonly string[],
  ): Promise<unknown> {
    const query = new URLSearchParams({ fields: fields.join(','), properties: properties.join(',') });
    const response = await this.send('read issue', issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/issue/${issueKey}?${query}`, {
        method: 'GET',
        headers: JSON_HEADERS,
      }),
    );
    return response.json();
  }

  /**
   * Creates up to 50 issues in one call. Per-item failures come back in request order instead of throwing. A 5xx
   * is not retried (creation is not idempotent); a re-run of the sync finds what was created by its property.
   */
  async createIssues(items: readonly IssueCreate[]): Promise<BulkItemResult[]> {
    if (items.length > BULK_CREATE_LIMIT) {
      throw new RangeError(
        `createIssues takes at most ${BULK_CREATE_LIMIT} issues per call, got ${items.length}`,
      );
    }
    const body = JSON.stringify({ issueUpdates: items });
    const response = await this.send(
      'create issues',
      undefined,
      false,
      () =>
        this.api.requestJira(route`/rest/api/3/issue/bulk`, { method: 'POST', headers: JSON_HEADERS, body }),
      // Jira answers 400 with the same per-item body when every item failed.
      (status) => status === 400,
    );
    const created: CreatedIssues = parse(CreatedIssuesSchema, await response.json(), 'bulk create result');
    const failures = new Map(created.errors.map((error) => [error.failedElementNumber, error]));
    const results: BulkItemResult[] = [];
    let next = 0;
    for (let index = 0; index < items.length; index++) {
      const failure = failures.get(index);
      if (failure) {
        results.push({
          ok: false,
          status: failure.status ?? 400,
          fieldErrors: failure.elementErrors.errors,
          messages: failure.elementErrors.errorMessages,
        });
        continue;
      }
      const issue = created.issues[next++];
      if (!issue)
        throw new Error(
          `bulk create answered ${created.issues.length} issues for ${items.length - failures.size} successes`,
        );
      results.push({ ok: true, id: issue.id, key: issue.key });
    }
    return results;
  }

  /** Edits the given fields only (`PUT /rest/api/3/issue/{key}`). */
  async editIssue(issueKey: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
    const body = JSON.stringify({ fields });
    await this.send('edit issue', issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/issue/${issueKey}`, {
        method: 'PUT',
        headers: JSON_HEADERS,
        body,
      }),
    );
  }

  /** Writes one issue property. */
  async setIssueProperty(issueKey: string, propertyKey: string, value: unknown): Promise<void> {
    const body = JSON.stringify(value);
    await this.send(`write property ${propertyKey}`, issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/issue/${issueKey}/properties/${propertyKey}`, {
        method: 'PUT',
        headers: JSON_HEADERS,
        body,
      }),
    );
  }

  /** The signed-in user (`GET /rest/api/3/myself`): an admin page saving as them names them. */
  async getMyself(): Promise<{ accountId: string; displayName?: string }> {
    const response = await this.send('read current user', undefined, true, () =>
      this.api.requestJira(route`/rest/api/3/myself`, { method: 'GET', headers: JSON_HEADERS }),
    );
    return parse(MyselfSchema, await response.json(), 'current user');
  }

  /**
   * Whether the caller may edit an issue (`GET /rest/api/3/mypermissions`, permission EDIT_ISSUES): the issue panel
   * takes a check-in as the viewing user's own change only when Jira lets them edit the issue.
   */
  async canEditIssue(issueKey: string): Promise<boolean> {
    const query = new URLSearchParams({ issueKey, permissions: 'EDIT_ISSUES' });
    const response = await this.send('read permissions', issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/mypermissions?${query}`, {
        method: 'GET',
        headers: JSON_HEADERS,
      }),
    );
    return (
      parse(MyPermissionsSchema, await response.json(), 'permissions').permissions.EDIT_ISSUES
        ?.havePermission === true
    );
  }

  /** The transitions the caller may perform on an issue now. */
  async getTransitions(issueKey: string): Promise<Transitions> {
    const response = await this.send('read transitions', issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/issue/${issueKey}/transitions`, {
        method: 'GET',
        headers: JSON_HEADERS,
      }),
    );
    return parse(TransitionsSchema, await response.json(), 'transitions');
  }

  /** Performs a transition. */
  async transitionIssue(issueKey: string, transitionId: string): Promise<void> {
    const body = JSON.stringify({ transition: { id: transitionId } });
    await this.send('transition issue', issueKey, true, () =>
      this.api.requestJira(route`/rest/api/3/issue/${issueKey}/transitions`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
      }),
    );
  }

  /**
   * Reads the workflow one issue type of a project uses, with its statuses, transitions and rules
   * (`POST /rest/api/3/workflows`, readWorkflows — the non-deprecated read; scope `manage:jira-configuration`).
   */
  async readWorkflows(projectId: string, issueTypeId: string): Promise<WorkflowReadResponse> {
    const body = JSON.stringify({ projectAndIssueTypes: [{ projectId, issueTypeId }] });
    const response = await this.send('read workflows', undefined, true, () =>
      this.api.requestJira(route`/rest/api/3/workflows`, { method: 'POST', headers: JSON_HEADERS, body }),
    );
    return parse(WorkflowReadResponseSchema, await response.json(), 'workflows');
  }

  /**
   * Sends with retries: 429 always (Jira did nothing), 5xx only for idempotent requests; waits `Retry-After`
   * when given, else exponential backoff with jitter; never sleeps past the budget.
   */
  private async send(
    operation: string,
    issue: string | undefined,
    idempotent: boolean,
    call: () => Promise<APIResponse>,
    acceptStatus: (status: number) => boolean = () => false,
  ): Promise<APIResponse> {
    for (let attempt = 0; ; attempt++) {
      if (this.remainingMs() <= 0) {
        throw new JiraBudgetExceeded(
          `Stopped before ${operation}${issue ? ` of ${issue}` : ''}: the invocation's time budget is used up; run the sync again to continue.`,
          0,
          operation,
          issue,
          {},
          [],
        );
      }
      const response = await call();
      if (response.ok || acceptStatus(response.status)) return response;
      const retriable = response.status === 429 || (idempotent && response.status >= 500);
      if (!retriable || attempt >= this.maxRetries)
        throw await toJiraError(response, operation, issue, attempt);
      const delay = this.retryDelay(response, attempt);
      if (delay > this.remainingMs()) {
        throw new JiraBudgetExceeded(
          `Jira asked to wait ${Math.ceil(delay / 1000)} s before ${operation}${issue ? ` of ${issue}` : ''} (HTTP ${response.status}), more than the ${Math.max(0, Math.floor(this.remainingMs() / 1000))} s left in this invocation; run the sync again later.`,
          response.status,
          operation,
          issue,
          {},
          [],
        );
      }
      await this.clock.sleep(delay);
    }
  }

  private retryDelay(response: APIResponse, attempt: number): number {
    const header = response.headers.get('Retry-After');
    if (header) {
      const seconds = Number(header);
      if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
      const date = Date.parse(header);
      if (Number.isFinite(date)) return Math.max(0, date - this.clock.now());
    }
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    // Half fixed, half jitter: spreads concurrent retries without ever waiting zero.
    return Math.round(cap / 2 + (cap / 2) * this.random());
  }
}

async function toJiraError(
  response: APIResponse,
  operation: string,
  issue: string | undefined,
  retries: number,
): Promise<JiraError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errorMessages: text ? [text.slice(0, 300)] : [] };
  }
  const parsed = parseWith(JiraErrorCollectionSchema, body);
  const errors = parsed.ok ? parsed.value.errors : {};
  const messages = parsed.ok ? parsed.value.errorMessages : [];
  const details = [describeFieldErrors(errors), ...messages].filter(Boolean).join('; ');
  const after = retries > 0 ? ` after ${retries} retries` : '';
  return new JiraError(
    `Jira refused ${operation}${issue ? ` of ${issue}` : ''} (HTTP ${response.status}${after})${details ? `: ${details}` : ''}`,
    response.status,
    operation,
    issue,
    errors,
    messages,
  );
}

/** Parses a Jira response with a core schema; a shape Jira should never send is a clear error, not a crash later. */
function parse<S extends Parameters<typeof parseWith>[0]>(
  schema: S,
  value: unknown,
  what: string,
): ReturnType<typeof parseOrThrow<S>> {
  const result = parseWith(schema, value, what);
  if (result.ok) return result.value;
  throw new Error(`Jira answered an unexpected ${what}: ${describeErrors(result.errors)}`);
}
