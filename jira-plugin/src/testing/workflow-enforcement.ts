import { evaluateJiraExpression, JiraExpressionError, type JiraValue } from '@cxplan/core';
import {
  type AppliedTransition,
  accountOf,
  type FakeIssue,
  type FakeJira,
  type FakeTransition,
  type FakeWorkflow,
  type TransitionContext,
  type TransitionEngine,
  type TransitionRequest,
  type TransitionRules,
} from './fake-jira';

export { APP_ACCOUNT_ID, type TransitionRules } from './fake-jira';

/** A condition or validator module as the manifest declares it. */
export type RuleModule =
  | { kind: 'expression'; expression: string; errorMessage?: string }
  | { kind: 'function'; run: (event: unknown) => unknown };

/** A post function or trigger: the Forge function Jira invokes with an event. */
export type EventFunction = (event: unknown) => Promise<unknown>;

/** Everything the enforcement needs: the app's modules and where the workflow uses them. */
export interface WorkflowEnforcementOptions {
  readonly modules: Readonly<Record<string, RuleModule>>;
  readonly postFunctions: Readonly<Record<string, EventFunction>>;
  /** Which app rules are configured on which transition (by transition id), as a Jira admin would configure them. */
  readonly rules: Readonly<Record<string, TransitionRules>>;
  /**
   * The workflow those transitions belong to. Transition ids are only unique within a workflow in Jira (a project's
   * task workflow has its own "31"), so rules apply to this workflow's transitions alone; absent: to every workflow.
   */
  readonly workflow?: FakeWorkflow;
  /** Display names of accounts, as Jira's `user.displayName`. */
  readonly users: Readonly<Record<string, string>>;
  /** Called with every `avi:jira:updated:issue` event a status change produces (the reconcile trigger). */
  readonly issueUpdated?: EventFunction;
}

/** Jira's message when a validator fails without its own message. */
const DEFAULT_VALIDATOR_MESSAGE = 'The transition failed validation.';

/**
 * Enforces app workflow rules on the fake Jira the way Jira does: a condition that is not `true` (false, an
 * error, a non-boolean) hides the transition from `GET …/transitions` and makes a `POST` of it invalid; a
 * validator that is not `true` refuses the transition with its string result or error message; post functions
 * run after the transition was applied, with the post function event; a status change also sends
 * `avi:jira:updated:issue`. It plugs in as the fake's `TransitionEngine` only: issues, comments, assignees,
 * workflows and bulk transitions are the fake Jira's own (spec-checked) routes.
 */
export class WorkflowEnforcement implements TransitionEngine {
  private readonly pending: Promise<unknown>[] = [];
  /** Results of post functions and triggers, in the order they ran. */
  readonly outcomes: unknown[] = [];
  /** Errors thrown by post functions or triggers (Jira logs them; tests assert there are none). */
  readonly failures: unknown[] = [];

  constructor(
    private readonly fake: FakeJira,
    private readonly options: WorkflowEnforcementOptions,
  ) {
    fake.engine = this;
    for (const [accountId, name] of Object.entries(options.users)) fake.users.set(accountId, name);
  }

  /** Sets an issue's assignee (in Jira terms: the goal's owner). */
  assign(issueKey: string, accountId: string): void {
    this.fake.assign(issueKey, accountId);
  }

  /** Adds a comment as a person would in Jira's UI. */
  comment(issueKey: string, authorId: string, text: string): string {
    return this.fake.addComment(issueKey, authorId, adf(text));
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

  /**
   * Edits an issue as a person does in Jira's UI — moves it to the first status of a category, assigns it, sets
   * its due date — and sends the `avi:jira:updated:issue` event with a changelog item per changed field.
   */
  editAsUser(
    issueKey: string,
    actorId: string,
    change: { category?: 'new' | 'indeterminate' | 'done'; assignee?: string | null; due?: string | null },
  ): void {
    const issue = this.fake.issueByKey(issueKey);
    const items: Array<Record<string, unknown>> = [];
    if (change.category !== undefined) {
      const from = this.fake.statusNameOf(issue);
      this.fake.moveToCategory(issueKey, change.category);
      items.push({
        field: 'status',
        fieldId: 'status',
        fromString: from,
        toString: this.fake.statusNameOf(issue),
      });
    }
    if (change.assignee !== undefined) {
      const from = issue.assigneeId ?? null;
      this.fake.assign(issueKey, change.assignee ?? undefined);
      items.push({ field: 'assignee', fieldId: 'assignee', from, to: change.assignee });
    }
    if (change.due !== undefined) {
      const from = issue.dueDate ?? null;
      this.fake.setDueDate(issueKey, change.due ?? undefined);
      items.push({ field: 'duedate', fieldId: 'duedate', from, to: change.due });
    }
    this.sendEvent(issue, actorId, items);
  }

  // ---- TransitionEngine ----

  available(context: TransitionContext): readonly FakeTransition[] {
    return context.workflow.transitions
      .filter((t) => t.from === 'any' || t.from.includes(context.issue.statusId))
      .filter((t) =>
        (this.rulesIn(context.workflow, t.id)?.conditions ?? []).every(
          (key) => this.evaluate(key, context, t, undefined) === true,
        ),
      );
  }

  validate(request: TransitionRequest): string | undefined | Promise<string | undefined> {
    const keys = this.rulesIn(request.workflow, request.transition.id)?.validators ?? [];
    // One after the other, as configured; the first that is not `true` refuses. A function validator is an app
    // function Jira waits for, so from there on the answer is a promise.
    const from = (i: number): string | undefined | Promise<string | undefined> => {
      const key = keys[i];
      if (key === undefined) return undefined;
      const module = this.module(key);
      const decide = (result: JiraValue | undefined): string | undefined | Promise<string | undefined> => {
        if (result === true) return from(i + 1);
        if (typeof result === 'string') return result;
        return module.kind === 'expression'
          ? (module.errorMessage ?? DEFAULT_VALIDATOR_MESSAGE)
          : DEFAULT_VALIDATOR_MESSAGE;
      };
      const result = this.evaluate(key, request, request.transition, screenComment(request));
      return result instanceof Promise ? result.then(decide) : decide(result);
    };
    return from(0);
  }

  /** Jira has applied the transition and stored the screen comment: run the post functions, send the event. */
  applied(transition: AppliedTransition): void {
    const { issue, actor, fromStatusId, commentId } = transition;
    const actorId = accountOf(actor);
    const transitionId = transition.transition.id;
    const event = {
      issue: { id: issue.id, key: issue.key },
      transition: { transitionId, from: { id: fromStatusId }, to: { id: issue.statusId } },
      atlassianId: actorId,
      ...(commentId === undefined ? {} : { comment: { id: commentId } }),
      configuration: {},
    };
    for (const key of this.rulesIn(transition.workflow, transitionId)?.postFunctions ?? []) {
      const run = this.options.postFunctions[key];
      if (!run) throw new Error(`the workflow uses a post function "${key}" the app does not declare`);
      this.track(run(event));
    }
    const workflow = transition.workflow;
    const from = workflow.statuses.find((s) => s.id === fromStatusId)?.name;
    const to = workflow.statuses.find((s) => s.id === issue.statusId)?.name;
    this.sendIssueUpdated(issue, from, to ?? '', actorId);
  }

  rulesOf(transition: FakeTransition, workflow?: FakeWorkflow): TransitionRules {
    return this.rulesIn(workflow, transition.id) ?? {};
  }

  // ---- internals ----

  private rulesIn(workflow: FakeWorkflow | undefined, transitionId: string): TransitionRules | undefined {
    if (this.options.workflow !== undefined && workflow !== undefined && workflow !== this.options.workflow)
      return undefined;
    return this.options.rules[transitionId];
  }

  private module(key: string): RuleModule {
    const module = this.options.modules[key];
    if (!module) throw new Error(`the workflow uses a rule "${key}" the app does not declare`);
    return module;
  }

  /**
   * Evaluates a rule as Jira does: a failing expression or function counts as not `true`. A function validator gets
   * exactly what Forge documents for it — the issue key, the transition (from, to, the fields changed on its screen)
   * and its configuration — and nothing about who is transitioning.
   */
  private evaluate(
    key: string,
    context: TransitionContext,
    transition: FakeTransition,
    comment: unknown,
  ): JiraValue | undefined | Promise<JiraValue | undefined> {
    const module = this.module(key);
    if (module.kind === 'expression') {
      try {
        return evaluateJiraExpression(module.expression, this.expressionContext(context));
      } catch (error) {
        if (error instanceof JiraExpressionError) return undefined;
        throw error;
      }
    }
    const event = {
      issue: { key: context.issue.key },
      configuration: {},
      transition: {
        from: { id: context.issue.statusId },
        to: { id: transition.to },
        modifiedFields: comment === undefined ? {} : { comment },
      },
    };
    const answer = (result: unknown): JiraValue => {
      const r = (result ?? {}) as { result?: unknown; errorMessage?: unknown };
      if (r.result === true) return true;
      return typeof r.errorMessage === 'string' ? r.errorMessage : false;
    };
    const result = module.run(event);
    if (!(result instanceof Promise)) return answer(result);
    // A function that throws fails the validation (Jira shows its default message); tests see it in `failures`.
    return result.then(answer, (error: unknown) => {
      this.failures.push(error);
      return false;
    });
  }

  private expressionContext(context: TransitionContext): Record<string, JiraValue> {
    const accountId = accountOf(context.actor);
    const properties: Record<string, JiraValue> = {};
    for (const [k, value] of context.issue.properties) properties[k] = value as JiraValue;
    return {
      user: { accountId, displayName: this.fake.users.get(accountId) ?? accountId },
      issue: {
        key: context.issue.key,
        properties,
        comments: context.issue.comments.map((c) => ({
          id: c.id,
          author: { accountId: c.authorId },
          body: c.body as JiraValue,
        })),
      },
    };
  }

  private sendIssueUpdated(issue: FakeIssue, from: string | undefined, to: string, actorId: string): void {
    this.sendEvent(issue, actorId, [
      { field: 'status', fieldId: 'status', fromString: from ?? null, toString: to },
    ]);
  }

  private changelogs = 0;

  private sendEvent(issue: FakeIssue, actorId: string, items: ReadonlyArray<Record<string, unknown>>): void {
    if (!this.options.issueUpdated || items.length === 0) return;
    this.track(
      this.options.issueUpdated({
        eventType: 'avi:jira:updated:issue',
        issue: { id: issue.id, key: issue.key },
        atlassianId: actorId,
        changelog: { id: String(++this.changelogs), items },
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
}

/** The comment added on the transition's screen (REST: `update.comment[].add.body`), as `modifiedFields.comment`. */
function screenComment(request: TransitionRequest): unknown {
  return request.body.update?.comment?.find((op) => op.add !== undefined)?.add?.body;
}

/** A one-paragraph Atlassian document. */
export function adf(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
