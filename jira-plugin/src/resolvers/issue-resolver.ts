import {
  ACTION_PROPERTY,
  currentReadings,
  GOAL_PROPERTY,
  type PlanSlice,
  parseWith,
  ReadingSchema,
  type SuccessMetric,
  type VerificationEvent,
  VerificationEventSchema,
  type VerificationState,
  VerificationStateSchema,
} from '@cxplan/core';
import api from '@forge/api';
import kvs from '@forge/kvs';
import Resolver from '@forge/resolver';
import * as v from 'valibot';
import { readEvidence } from '../ingest/evidence-store';
import type { IngestKvs } from '../ingest/ingest-kvs';
import { JiraClient } from '../jira-client';
import { PlanStore } from '../plan-store';
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
      metric: MetricView | undefined;
      evidence: EvidenceQuote[];
      verification?: {
        status: VerificationState['status'];
        history: Array<{ type: VerificationEvent['type']; by: string; at: string; detail?: string }>;
        flags: Array<Pick<VerificationFlag, 'at' | 'message'>>;
      };
    };

/** What the issue resolver needs. */
export interface IssueDeps {
  client: JiraClient;
  plans: PlanStore;
  config: OrganisationConfigStore;
  evidence: IngestKvs;
  now(): Date;
  newId(): string;
}

const PropertyRef = v.object({ id: v.string(), cycleId: v.string() });

interface Located {
  kind: 'goal' | 'action';
  id: string;
  cycleId: string;
  goalProperty: Record<string, unknown> | undefined;
  flags: unknown;
}

async function locate(client: JiraClient, issueKey: string): Promise<Located | undefined> {
  const raw = (await client.getIssue(
    issueKey,
    ['summary'],
    [GOAL_PROPERTY, ACTION_PROPERTY, VERIFICATION_FLAGS_PROPERTY],
  )) as {
    properties?: Record<string, unknown>;
  };
  const properties = raw.properties ?? {};
  const goal = v.safeParse(PropertyRef, properties[GOAL_PROPERTY]);
  if (goal.success) {
    return {
      kind: 'goal',
      ...goal.output,
      goalProperty: properties[GOAL_PROPERTY] as Record<string, unknown>,
      flags: properties[VERIFICATION_FLAGS_PROPERTY],
    };
  }
  const action = v.safeParse(PropertyRef, properties[ACTION_PROPERTY]);
  if (action.success) return { kind: 'action', ...action.output, goalProperty: undefined, flags: undefined };
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

function itemOf(plan: PlanSlice | undefined, located: Located) {
  if (!plan) return undefined;
  return located.kind === 'goal'
    ? plan.deptGoals.find((g) => g.id === located.id)
    : plan.actions.find((a) => a.id === located.id);
}

/** Builds the panel for an issue: metric and readings, evidence quotes, and (epics) the verification record. */
export async function issuePanel(deps: IssueDeps, issueKey: string): Promise<IssuePanelView> {
  const located = await locate(deps.client, issueKey);
  if (!located) return { kind: 'none', issueKey, message: 'This issue is not part of a cxplan plan.' };
  const config = await deps.config.read();
  const nameOf = nameLookup(config.people);
  const plan = await deps.plans.load(located.cycleId);
  const item = itemOf(plan, located);
  const evidenceIds =
    located.kind === 'action'
      ? (plan?.actions.find((a) => a.id === located.id)?.evidenceIds ?? [])
      : (plan?.orgGoals.find((o) => o.id === plan.deptGoals.find((g) => g.id === located.id)?.orgGoalId)
          ?.evidenceIds ?? []);
  const evidence = (await readEvidence(deps.evidence, evidenceIds)).map(({ evidence: e }) => ({
    id: e.id,
    quote: e.target?.quote.exact ?? e.text,
    ...((e.target?.source ?? e.origin.url) && { url: e.target?.source ?? e.origin.url }),
    ...(e.origin.title && { title: e.origin.title }),
  }));
  const view: IssuePanelView = {
    kind: located.kind,
    issueKey,
    title: item?.title ?? issueKey,
    metric: metricView(item?.metric, nameOf),
    evidence,
  };
  if (located.kind === 'goal' && located.goalProperty) {
    // Jira is authoritative for verification: read it from the epic's property, not from the plan.
    const state = parseWith(
      VerificationStateSchema,
      located.goalProperty.verification ?? { status: 'draft' },
    );
    const history = parseWith(
      v.array(VerificationEventSchema),
      located.goalProperty.verificationHistory ?? [],
    );
    const flags = v.safeParse(v.object({ flags: v.array(VerificationFlagSchema) }), located.flags);
    view.verification = {
      status: state.ok ? state.value.status : 'draft',
      history: (history.ok ? history.value : []).map((e) => ({
        type: e.type,
        by: nameOf(e.by),
        at: e.at,
        ...(detailOf(e, nameOf) !== undefined && { detail: detailOf(e, nameOf) }),
      })),
      flags: flags.success ? flags.output.flags.map((f) => ({ at: f.at, message: f.message })) : [],
    };
  }
  return view;
}

/**
 * Adds a check-in (a reading) to the metric of the goal or action behind an issue, in the stored plan; the next
 * sync writes it to Jira. Bad input is refused naming the field; nothing stored changes then.
 */
export async function addCheckIn(
  deps: IssueDeps,
  issueKey: string,
  accountId: string,
  input: unknown,
): Promise<IssuePanelView> {
  const located = await locate(deps.client, issueKey);
  if (!located) throw new Error(`${issueKey} is not part of a cxplan plan`);
  const plan = await deps.plans.load(located.cycleId);
  const item = itemOf(plan, located);
  if (!plan || !item?.metric) throw new Error(`${issueKey} has no success metric to check in against`);
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
  const metric = { ...item.metric, readings: [...item.metric.readings, reading.value] };
  const updated: PlanSlice =
    located.kind === 'goal'
      ? { ...plan, deptGoals: plan.deptGoals.map((g) => (g.id === located.id ? { ...g, metric } : g)) }
      : { ...plan, actions: plan.actions.map((a) => (a.id === located.id ? { ...a, metric } : a)) };
  const saved = await deps.plans.save(updated, plan);
  if (!saved.ok) throw new Error(`Check-in not saved: ${saved.message}`);
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

/** Production wiring: Jira as the viewing user (the panel shows only what they may see), Forge KVS. */
export function issueDeps(): IssueDeps {
  return {
    client: new JiraClient(api.asUser()),
    plans: new PlanStore(kvs),
    config: new OrganisationConfigStore(kvs),
    evidence: kvs,
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
  };
}

/** The `function` module behind the issue panel and issue context. */
export const handler = issueResolver(issueDeps).getDefinitions();
