import {
  ACTION_PROPERTY,
  type Action,
  currentReadings,
  type DeptGoal,
  GOAL_PROPERTY,
  parseWith,
  ReadingSchema,
  resolveUpLineManager,
  type SuccessMetric,
  type VerificationEvent,
  type VerificationState,
} from '@cxplan/core';
import api from '@forge/api';
import Resolver from '@forge/resolver';
import * as v from 'valibot';
import { JiraClient } from '../jira-client/jira-client';
import { linksTo, readEntity, readEvidence, type Stored } from '../team-store/plan-reads';
import {
  applyAndReport,
  openTeamStore,
  putOp,
  type TeamStoreDeps,
  teamStoreDeps,
} from '../team-store/team-store';
import {
  VERIFICATION_FLAGS_PROPERTY,
  type VerificationFlag,
  VerificationFlagSchema,
} from '../workflow/goal-issue';
import { nameLookup, OrganisationConfigStore } from '../workflow/organisation-config';
import { type Answer, answer } from './answer';

/** A metric with its readings in force, for the panel. */
export interface MetricView {
  name: string;
  unit: string;
  direction: SuccessMetric['direction'];
  baseline: number;
  target: number;
  due: string;
  readings: Array<{ id: string; value: number; at: string; by: string; note?: string }>;
}

/** A quote from the evidence behind the goal or action, with where it was found. */
export interface EvidenceQuote {
  id: string;
  quote: string;
  url?: string;
  title?: string;
}

/** What the issue panel shows for an epic (department goal) or a child issue (action). */
export type IssuePanelView =
  | { kind: 'none'; issueKey: string; message: string }
  | {
      kind: 'goal' | 'action';
      issueKey: string;
      title: string;
      /** The organisation goal a department goal serves (goals), or the department goal an action serves. */
      serves?: { kind: 'organisation goal' | 'department goal'; title: string };
      metric: MetricView | undefined;
      evidence: EvidenceQuote[];
      verification?: {
        status: VerificationState['status'];
        history: Array<{ type: VerificationEvent['type']; by: string; at: string; detail?: string }>;
        flags: Array<Pick<VerificationFlag, 'at' | 'message'>>;
        /** While it waits: who was recorded to verify it, and a note when the department's up-line manager changed since. */
        waitingFor?: { verifier: string; reassigned?: string };
      };
    };

/** What the issue resolver needs. */
export interface IssueDeps {
  /** Jira as the viewing user: the panel shows only what they may see, and asks Jira whether they may edit. */
  client: JiraClient;
  store: TeamStoreDeps;
  now(): Date;
  newId(): string;
}

const IssueSchema = v.object({
  id: v.string(),
  key: v.string(),
  properties: v.optional(v.record(v.string(), v.unknown()), {}),
});
const PropertyRef = v.object({ id: v.string() });

type Located =
  | { kind: 'goal'; entity: Stored<DeptGoal>; flags: unknown }
  | { kind: 'action'; entity: Stored<Action>; flags: unknown };

/**
 * The goal or action behind an issue, from the team store. The issue's `cxplan.*` property names it, and the
 * stored entity's issue link (written by the app's sync alone) must point back at this issue.
 */
async function locate(deps: IssueDeps, issueKey: string): Promise<Located | undefined> {
  await openTeamStore(deps.store);
  const raw = await deps.client.getIssue(
    issueKey,
    ['summary'],
    [GOAL_PROPERTY, ACTION_PROPERTY, VERIFICATION_FLAGS_PROPERTY],
  );
  const issue = parseWith(IssueSchema, raw, `issue ${issueKey}`);
  if (!issue.ok) throw new Error(`Jira answered an unreadable issue ${issueKey}`);
  const { properties } = issue.value;
  const here = { issueKey: issue.value.key, issueId: issue.value.id };
  const goalRef = v.safeParse(PropertyRef, properties[GOAL_PROPERTY]);
  if (goalRef.success) {
    const goal = await readEntity(deps.store.sql, 'deptGoals', goalRef.output.id);
    if (goal && !goal.deleted && linksTo(goal.body.jira, here))
      return { kind: 'goal', entity: goal, flags: properties[VERIFICATION_FLAGS_PROPERTY] };
  }
  const actionRef = v.safeParse(PropertyRef, properties[ACTION_PROPERTY]);
  if (actionRef.success) {
    const action = await readEntity(deps.store.sql, 'actions', actionRef.output.id);
    if (action && !action.deleted && linksTo(action.body.jira, here))
      return { kind: 'action', entity: action, flags: undefined };
  }
  return undefined;
}

function metricView(
  metric: SuccessMetric | undefined,
  nameOf: (id: string) => string,
): MetricView | undefined {
  if (!metric) return undefined;
  return {
    name: metric.name,
    unit: metric.unit,
    direction: metric.direction,
    baseline: metric.baseline,
    target: metric.target,
    due: metric.due,
    readings: currentReadings(metric).map((r) => ({
      id: r.id,
      value: r.value,
      at: r.at,
      by: nameOf(r.by),
      ...(r.note !== undefined && { note: r.note }),
    })),
  };
}

function detailOf(event: VerificationEvent, nameOf: (id: string) => string): string | undefined {
  if (event.type === 'rejected') return event.reason;
  if (event.type === 'verified') return event.note;
  if (event.type === 'submitted') return `to be verified by ${nameOf(event.verifierId)}`;
  return event.why;
}

/**
 * Builds the panel for an issue from the team store: the title, what it serves (the organisation goal's title), the
 * metric and its readings, quotes from the evidence cited (by the organisation goal for an epic, by the action for
 * an action issue), and for an epic its verification record as the app recorded it.
 */
export async function issuePanel(deps: IssueDeps, issueKey: string): Promise<IssuePanelView> {
  const located = await locate(deps, issueKey);
  if (!located) return { kind: 'none', issueKey, message: 'This issue is not part of a cxplan plan.' };
  const config = await new OrganisationConfigStore(deps.store).read();
  const nameOf = nameLookup(config.people);
  const item = located.entity.body;
  const parentId = located.kind === 'goal' ? located.entity.body.orgGoalId : located.entity.body.deptGoalId;
  const parent =
    parentId === undefined
      ? undefined
      : await readEntity(deps.store.sql, located.kind === 'goal' ? 'orgGoals' : 'deptGoals', parentId);
  const orgGoal =
    located.kind === 'goal' && parent && !parent.deleted
      ? (parent.body as { evidenceIds: string[] })
      : undefined;
  const evidenceIds =
    located.kind === 'action' ? located.entity.body.evidenceIds : (orgGoal?.evidenceIds ?? []);
  const evidence = (await readEvidence(deps.store.sql, evidenceIds)).map((e) => ({
    id: e.id,
    quote: e.target?.quote.exact ?? e.text,
    ...((e.target?.source ?? e.origin.url) && { url: e.target?.source ?? e.origin.url }),
    ...(e.origin.title && { title: e.origin.title }),
  }));
  const view: IssuePanelView = {
    kind: located.kind,
    issueKey,
    title: item.title,
    ...(parent &&
      !parent.deleted && {
        serves: {
          kind: located.kind === 'goal' ? 'organisation goal' : 'department goal',
          title: String((parent.body as { title: string }).title),
        },
      }),
    metric: metricView(item.metric, nameOf),
    evidence,
  };
  if (located.kind === 'goal') {
    const goal = located.entity.body;
    const flags = v.safeParse(v.object({ flags: v.array(VerificationFlagSchema) }), located.flags);
    view.verification = {
      status: goal.verification.status,
      history: goal.verificationHistory.map((e) => ({
        type: e.type,
        by: nameOf(e.by),
        at: e.at,
        ...(detailOf(e, nameOf) !== undefined && { detail: detailOf(e, nameOf) }),
      })),
      flags: flags.success ? flags.output.flags.map((f) => ({ at: f.at, message: f.message })) : [],
      ...(goal.verification.status === 'submitted' && {
        waitingFor: waitingFor(goal.verification.verifierId, goal.departmentId, config.departments, nameOf),
      }),
    };
  }
  return view;
}

/**
 * Who a submitted goal waits for. The up-line manager recorded at submission stays its only verifier even when the
 * department's up-line manager is reassigned meanwhile (the core rule); the panel says so, and how to hand it over.
 */
function waitingFor(
  verifierId: string,
  departmentId: string,
  departments: Parameters<typeof resolveUpLineManager>[1],
  nameOf: (id: string) => string,
): { verifier: string; reassigned?: string } {
  const department = departments.find((d) => d.id === departmentId);
  const now = department ? resolveUpLineManager(department, departments, nameOf) : undefined;
  if (!now?.ok || now.managerId === verifierId) return { verifier: nameOf(verifierId) };
  return {
    verifier: nameOf(verifierId),
    reassigned: `${department?.name ?? 'The department'}'s up-line manager is now ${nameOf(now.managerId)}, but this goal was submitted to ${nameOf(verifierId)}, who alone may verify or reject it. To hand it to ${nameOf(now.managerId)}, withdraw it (move it back to Draft) and submit it again.`,
  };
}

/**
 * Adds a check-in (a reading) to the metric of the goal or action behind an issue, in the team store, as the viewing
 * Jira user's own change. Jira decides who may: the reading is taken only from someone Jira lets edit the issue
 * (their change is then trusted like an edit made in Jira). Readings are an append-only set in the store, so a
 * reading a browser sends meanwhile is kept too. Bad input is refused naming the field; nothing changes then.
 */
export async function addCheckIn(
  deps: IssueDeps,
  issueKey: string,
  accountId: string,
  input: unknown,
): Promise<IssuePanelView> {
  if (accountId === '') throw new Error('Jira did not say who you are; open the issue signed in.');
  const located = await locate(deps, issueKey);
  if (!located) throw new Error(`${issueKey} is not part of a cxplan plan`);
  if (!located.entity.body.metric) throw new Error(`${issueKey} has no success metric to check in against`);
  if (!(await deps.client.canEditIssue(issueKey)))
    throw new Error(
      `Check-in not saved: Jira does not let you edit ${issueKey}, so cxplan does not take a check-in for it from you.`,
    );
  const { value, note } = (input ?? {}) as { value?: unknown; note?: unknown };
  const now = deps.now().toISOString();
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const reading = parseWith(
    ReadingSchema,
    {
      id: deps.newId(),
      value: number,
      at: now,
      recordedAt: now,
      by: accountId,
      ...(typeof note === 'string' && note.trim() && { note: note.trim() }),
    },
    'check-in',
  );
  if (!reading.ok)
    throw new Error(
      `Check-in not saved: ${reading.errors.map((e) => `${e.path.replace(/^check-in\.?/, '') || 'value'} ${e.message}`).join('; ')}`,
    );
  const kind = located.kind === 'goal' ? 'deptGoals' : 'actions';
  const { problems } = await applyAndReport(
    deps.store,
    accountId,
    [
      putOp(`jira-checkin-${reading.value.id}`, kind, located.entity.id, located.entity.version, {
        'metric.readings': [reading.value],
      }),
    ],
    { trusted: true },
  );
  if (problems.length > 0) throw new Error(`Check-in not saved: ${problems[0]?.message}`);
  return issuePanel(deps, issueKey);
}

function issueKeyOf(context: unknown): string {
  const key = (context as { extension?: { issue?: { key?: unknown } } }).extension?.issue?.key;
  if (typeof key !== 'string')
    throw new Error('This panel needs an issue: open it from an epic or an action.');
  return key;
}

/** The resolver behind the issue panel and the issue context: the panel, and adding a check-in. */
export function issueResolver(makeDeps: () => IssueDeps): Resolver {
  const resolver = new Resolver();
  resolver.define(
    'getIssuePanel',
    ({ context }): Promise<Answer<IssuePanelView>> =>
      answer(() => issuePanel(makeDeps(), issueKeyOf(context))),
  );
  resolver.define(
    'addCheckIn',
    ({ payload, context }): Promise<Answer<IssuePanelView>> =>
      answer(() => addCheckIn(makeDeps(), issueKeyOf(context), String(context.accountId ?? ''), payload)),
  );
  return resolver;
}

/** Production wiring: Jira as the viewing user, the team store. */
export function issueDeps(): IssueDeps {
  return {
    client: new JiraClient(api.asUser()),
    store: teamStoreDeps(),
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
  };
}

/** The `function` module behind the issue panel and issue context. */
export const handler = issueResolver(issueDeps).getDefinitions();
