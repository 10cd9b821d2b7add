import {
  ACTION_PROPERTY,
  type Action,
  actionStatusFromCategory,
  GOAL_PROPERTY,
  JIRA_APP_PERSON_ID,
  StatusCategorySchema,
  verificationStatusOf,
} from '@cxplan/core';
import api from '@forge/api';
import * as v from 'valibot';
import { JiraClient } from '../jira-client/jira-client';
import { linksTo, readEntity } from '../team-store/plan-reads';
import { applyAndReport, openTeamStore, putOp, type TeamStoreDeps } from '../team-store/team-store';
import {
  recordVerificationStep,
  type StepDeps,
  type StepOutcome,
  stepInto,
} from './record-verification-step';
import { workflowDeps } from './workflow-deps';

/** The Jira event this trigger subscribes to (checked against `@forge/manifest`'s event mapping in tests). */
export const RECONCILE_EVENT = 'avi:jira:updated:issue';

const IssueUpdatedSchema = v.object({
  issue: v.object({ id: v.optional(v.string()), key: v.string() }),
  atlassianId: v.optional(v.string()),
  changelog: v.optional(
    v.nullable(
      v.object({
        id: v.optional(v.union([v.string(), v.number()])),
        items: v.optional(
          v.array(
            v.pipe(
              v.record(v.string(), v.unknown()),
              // A changelog item has a `toString` key; where it lacks one (an assignee item carries `to`), reading
              // it would find Object.prototype.toString. Parse the item's own keys only.
              v.transform((item) => Object.assign(Object.create(null) as Record<string, unknown>, item)),
              v.object({
                field: v.optional(v.string()),
                fieldId: v.optional(v.string()),
                fromString: v.optional(v.nullable(v.string())),
                toString: v.optional(v.nullable(v.string())),
              }),
            ),
          ),
          [],
        ),
      }),
    ),
  ),
});
type IssueUpdated = v.InferOutput<typeof IssueUpdatedSchema>;

/** The fields of an action issue whose change in Jira enters the team store. */
const ACTION_FIELDS = { status: 'status', assignee: 'ownerId', duedate: 'due' } as const;
type ActionField = keyof typeof ACTION_FIELDS;

const ActionIssueSchema = v.object({
  id: v.string(),
  key: v.string(),
  fields: v.object({
    status: v.optional(v.object({ statusCategory: v.object({ key: StatusCategorySchema }) })),
    assignee: v.optional(v.nullable(v.object({ accountId: v.string() }))),
    duedate: v.optional(v.nullable(v.string())),
  }),
  properties: v.optional(v.record(v.string(), v.unknown()), {}),
});

/** What the trigger did with an action issue's change. */
export type ActionChangeOutcome =
  | { kind: 'ignored'; why: string }
  | { kind: 'stored'; actionId: string; fields: string[]; status: string; message?: string };

/** What the trigger needs: the workflow's (goal epics) and Jira as the app for reading action issues. */
export interface TriggerDeps extends StepDeps {
  client: JiraClient;
}

/**
 * `trigger` on `avi:jira:updated:issue`. For an **action** issue, a change of its status (by category), assignee
 * (the action's owner: an Atlassian account id, the person's id in the team store) or due date enters the team store
 * as a change by the Jira user who made it (Jira allowed them), on the version the store holds: a browser that had
 * not seen it cannot undo it later. For a **goal epic**, a status change into a verification status is recorded
 * with the same core rule the workflow modules apply — this covers transitions made where workflow modules do not
 * run (team-managed projects, a workflow without cxplan's rules) — and flagged when the rule refuses it.
 */
export async function reconcileIssueUpdate(
  event: unknown,
  deps: TriggerDeps,
  now: () => Date,
): Promise<StepOutcome | ActionChangeOutcome> {
  const parsed = v.safeParse(IssueUpdatedSchema, event);
  if (!parsed.success)
    return { kind: 'ignored', why: `unreadable issue-updated event: ${parsed.issues[0].message}` };
  const items = parsed.output.changelog?.items ?? [];
  const changed = (name: string) => items.find((i) => i.fieldId === name || i.field === name);
  const actionFields = (Object.keys(ACTION_FIELDS) as ActionField[]).filter((f) => changed(f));
  if (actionFields.length === 0) return { kind: 'ignored', why: 'no status, assignee or due date change' };
  const raw = await deps.client.getIssue(
    parsed.output.issue.key,
    ['status', 'assignee', 'duedate'],
    [GOAL_PROPERTY, ACTION_PROPERTY],
  );
  const issue = v.safeParse(ActionIssueSchema, raw);
  if (!issue.success)
    return { kind: 'ignored', why: `Jira answered an unreadable issue: ${issue.issues[0].message}` };
  if (issue.output.properties[ACTION_PROPERTY] !== undefined) {
    await openTeamStore(deps.store);
    return storeActionChange(parsed.output, issue.output, actionFields, deps.store);
  }
  const status = changed('status');
  if (status === undefined) return { kind: 'ignored', why: 'no status change' };
  const from = status.fromString ?? undefined;
  const step = stepInto(verificationStatusOf(status.toString ?? ''), verificationStatusOf(from ?? ''));
  if (step === undefined)
    return { kind: 'ignored', why: `"${status.toString}" is not a verification status` };
  return recordVerificationStep(
    {
      issueKey: parsed.output.issue.key,
      step,
      actorId: parsed.output.atlassianId,
      at: now().toISOString(),
      fromStatus: from,
      seenBy: 'trigger',
    },
    deps,
  );
}

async function storeActionChange(
  event: IssueUpdated,
  issue: v.InferOutput<typeof ActionIssueSchema>,
  changed: readonly ActionField[],
  store: TeamStoreDeps,
): Promise<ActionChangeOutcome> {
  const claimed = (issue.properties[ACTION_PROPERTY] as { id?: unknown } | undefined)?.id;
  const stored = typeof claimed === 'string' ? await readEntity(store.sql, 'actions', claimed) : undefined;
  // The property only names the action; its issue link, written by the app's sync, must point back at this issue.
  if (!stored || stored.deleted || !linksTo(stored.body.jira, { issueKey: issue.key, issueId: issue.id }))
    return { kind: 'ignored', why: `${issue.key} is not linked to an action cxplan holds` };
  const action = stored.body as Action;
  const fields: Record<string, unknown> = {};
  for (const field of changed) {
    if (field === 'status' && issue.fields.status) {
      const status = actionStatusFromCategory(issue.fields.status.statusCategory.key, action.status);
      if (status !== action.status) fields.status = status;
    }
    if (field === 'assignee') fields.ownerId = issue.fields.assignee?.accountId ?? null;
    if (field === 'duedate') fields.due = issue.fields.duedate ?? null;
  }
  if (Object.keys(fields).length === 0)
    return { kind: 'ignored', why: `${issue.key}: the store already holds what Jira shows` };
  const changelogId = event.changelog?.id;
  const opId =
    changelogId === undefined
      ? `jira-update-${issue.id}-${store.newId()}`
      : `jira-update-${issue.id}-${String(changelogId)}`;
  const { results } = await applyAndReport(
    store,
    event.atlassianId ?? JIRA_APP_PERSON_ID,
    [putOp(opId, 'actions', stored.id, stored.version, fields)],
    { trusted: true },
  );
  const result = results[0];
  return {
    kind: 'stored',
    actionId: stored.id,
    fields: Object.keys(fields),
    status: result?.status ?? 'not reached',
    ...(result && 'message' in result && result.message !== undefined && { message: result.message }),
  };
}

/** The Forge function: Jira calls it with the event (and a context the app does not need). */
export const handler = (event: unknown): Promise<StepOutcome | ActionChangeOutcome> =>
  reconcileIssueUpdate(event, { ...workflowDeps(), client: new JiraClient(api.asApp()) }, () => new Date());
