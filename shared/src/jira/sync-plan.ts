import * as v from 'valibot';
import { type VerificationAccounts, verificationAccounts } from '../jira-verification/verification-accounts';
import type { Action, ActionStatus, DeptGoal } from '../model/goals';
import type { Workspace } from '../model/workspace';
import { type AdfDoc, actionDescription, goalDescription } from './adf';
import { canonicalJson, contentHash } from './canonical-json';
import {
  ACTION_PROPERTY,
  type ActionProperty,
  ActionPropertySchema,
  CXPLAN_DELETED_LABEL,
  CXPLAN_LABEL,
  GOAL_PROPERTY,
  type GoalProperty,
  GoalPropertySchema,
  type JiraIssue,
  type StatusCategory,
  type SyncedBase,
} from './jira-issue';
import { actionStatusFromCategory, statusCategoryOf } from './status-category';

/** Where and as what the plan goes into Jira (chosen on the admin page). */
export interface JiraSyncConfig {
  readonly projectKey: string;
  /** Issue type id of epics (hierarchy level 1) in the project. */
  readonly epicIssueTypeId: string;
  /** Issue type id of the action issues (a standard type, hierarchy level 0, e.g. Task). */
  readonly actionIssueTypeId: string;
  /** Only this cycle's goals and actions are synced; issues of other cycles are left alone. */
  readonly cycleId: string;
}

/** The parts of a workspace the sync reads. */
export type SyncWorkspace = Pick<
  Workspace,
  'organisation' | 'departments' | 'orgGoals' | 'deptGoals' | 'actions'
> & {
  /** The people, for the names the mirrored verification accounts show (ids are shown without them). */
  readonly people?: Workspace['people'];
  /**
   * Goals and actions deleted from the plan (the team store keeps them as tombstones). Their issues are closed and
   * labelled `cxplan-deleted`, never deleted: Jira keeps their history.
   */
  readonly deleted?: { readonly deptGoals: readonly string[]; readonly actions: readonly string[] };
};

/** Which core entity an operation is about. */
export type SyncEntity = 'goal' | 'action';

/** An issue property to write: key and JSON value. */
export interface EntityProperty {
  readonly key: string;
  readonly value: unknown;
}

/** Create an issue (fields and its `cxplan.*` property in the same request, so a crash leaves no unkeyed issue). */
export interface CreateIssueOp {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly properties: readonly EntityProperty[];
  /** Actions: the epic, by key when it exists or by goal id when it is created in the same sync. */
  readonly parent?: { readonly key: string } | { readonly goalId: string };
  /** Actions not "to do" yet: after creation, transition to this category and then write this property. */
  readonly thenTransition?: { readonly toCategory: StatusCategory; readonly property: EntityProperty };
}

/** Edit only the fields that changed. */
export interface EditIssueOp {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly issueKey: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Move an action issue to a status of the given category. */
export interface TransitionOp {
  readonly coreId: string;
  readonly issueKey: string;
  readonly toCategory: StatusCategory;
}

/** Write a `cxplan.*` property; the executor skips it when the same issue's edit or transition failed. */
export interface PropertyWriteOp {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly issueKey: string;
  readonly key: string;
  readonly value: unknown;
}

/**
 * Close the issue of a deleted goal or action: label it `cxplan-deleted` (when it lacks the label) and move it to a
 * done-category status (when it is not in one). The label goes first, so an issue whose workflow offers no closing
 * transition is still marked.
 */
export interface CloseIssueOp {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly issueKey: string;
  /** The labels to set; absent when the issue already carries the label. */
  readonly labels?: readonly string[];
  /** True when the issue is not yet in a done-category status. */
  readonly transition: boolean;
}

/** A change that flows from Jira back into the plan. */
export type JiraPull =
  | {
      readonly kind: 'link';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
      readonly issueId: string;
    }
  | {
      readonly kind: 'title';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
      readonly title: string;
    }
  | {
      readonly kind: 'status';
      readonly coreId: string;
      readonly issueKey: string;
      readonly status: ActionStatus;
    };

/** Both sides changed the same field differently since the last sync: nothing is overwritten, a person decides. */
export interface SyncConflict {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly issueKey: string;
  readonly field: 'summary' | 'description' | 'status';
  readonly local: string;
  readonly jira: string;
}

/** Something the sync noticed and left alone, for the report. */
export type SyncFinding =
  | {
      readonly kind: 'duplicate';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKeys: readonly string[];
    }
  | {
      readonly kind: 'not-in-plan';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
    }
  | { readonly kind: 'unkeyed'; readonly issueKey: string }
  | {
      readonly kind: 'unreadable-property';
      readonly issueKey: string;
      readonly property: string;
      readonly message: string;
    }
  | {
      readonly kind: 'description-edited-in-jira';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
    }
  | { readonly kind: 'goal-not-in-cycle'; readonly actionId: string; readonly goalId: string }
  | {
      /** An issue labelled `cxplan-deleted` this sync (and closed, unless a failure says otherwise). */
      readonly kind: 'closed';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
      readonly why: 'deleted' | 'dropped' | 'goal-deleted';
    }
  | {
      /** An issue whose cxplan property was deleted or damaged in Jira, found again by the plan's issue link. */
      readonly kind: 'property-restored';
      readonly entity: SyncEntity;
      readonly coreId: string;
      readonly issueKey: string;
    }
  | {
      /**
       * The verification in the epic's `cxplan.goal` property differed from the app's own record (the team store),
       * which only the workflow modules write: the property was edited outside cxplan and has been rewritten.
       */
      readonly kind: 'verification-restored';
      readonly coreId: string;
      readonly issueKey: string;
      /** The status the property claimed. */
      readonly claimed: string;
    };

/** The minimal set of operations that brings Jira and the plan together, plus what flows back and what conflicts. */
export interface JiraSyncPlan {
  readonly createGoals: readonly CreateIssueOp[];
  readonly createActions: readonly CreateIssueOp[];
  readonly edits: readonly EditIssueOp[];
  readonly transitions: readonly TransitionOp[];
  readonly propertyWrites: readonly PropertyWriteOp[];
  readonly closes: readonly CloseIssueOp[];
  readonly pulls: readonly JiraPull[];
  readonly conflicts: readonly SyncConflict[];
  readonly findings: readonly SyncFinding[];
}

/** Jira's summary field holds at most 255 characters; longer titles are shortened the same way every time. */
export function jiraSummary(title: string): string {
  return title.length <= 255 ? title : `${title.slice(0, 254)}…`;
}

type ThreeWay = 'same' | 'push' | 'pull' | 'conflict';

/** Classic three-way merge of one value: who changed it since the agreed base? */
function threeWay(local: string, jira: string, base: string | undefined): ThreeWay {
  if (local === jira) return 'same';
  if (jira === base) return 'push';
  if (local === base) return 'pull';
  return 'conflict';
}

interface Matched<P> {
  readonly issue: JiraIssue;
  readonly property: P;
}

interface IssueIndex {
  readonly goals: Map<string, Matched<GoalProperty>[]>;
  readonly actions: Map<string, Matched<ActionProperty>[]>;
  /** Issues with no readable `cxplan.*` property (deleted or damaged in Jira): matched again by the plan's links. */
  readonly orphans: JiraIssue[];
  readonly findings: SyncFinding[];
}

/** Sorts issues oldest first (numeric id) so the same duplicate wins every time. */
const byIssueId = (a: { issue: JiraIssue }, b: { issue: JiraIssue }): number =>
  Number(a.issue.id) - Number(b.issue.id);

function indexIssues(issues: readonly JiraIssue[], cycleId: string): IssueIndex {
  const goals = new Map<string, Matched<GoalProperty>[]>();
  const actions = new Map<string, Matched<ActionProperty>[]>();
  const orphans: JiraIssue[] = [];
  const findings: SyncFinding[] = [];
  for (const issue of issues) {
    const goalRaw = issue.properties[GOAL_PROPERTY];
    const actionRaw = issue.properties[ACTION_PROPERTY];
    if (goalRaw === undefined && actionRaw === undefined) {
      findings.push({ kind: 'unkeyed', issueKey: issue.key });
      orphans.push(issue);
      continue;
    }
    let readable = false;
    if (goalRaw !== undefined) {
      const parsed = v.safeParse(GoalPropertySchema, goalRaw);
      if (!parsed.success) {
        findings.push(unreadable(issue.key, GOAL_PROPERTY, parsed.issues));
      } else {
        readable = true;
        if (parsed.output.cycleId === cycleId)
          push(goals, parsed.output.id, { issue, property: parsed.output });
      }
    }
    if (actionRaw !== undefined) {
      const parsed = v.safeParse(ActionPropertySchema, actionRaw);
      if (!parsed.success) {
        findings.push(unreadable(issue.key, ACTION_PROPERTY, parsed.issues));
      } else {
        readable = true;
        if (parsed.output.cycleId === cycleId)
          push(actions, parsed.output.id, { issue, property: parsed.output });
      }
    }
    if (!readable) orphans.push(issue);
  }
  for (const list of goals.values()) list.sort(byIssueId);
  for (const list of actions.values()) list.sort(byIssueId);
  return { goals, actions, orphans, findings };
}

function unreadable(
  issueKey: string,
  property: string,
  issues: readonly v.BaseIssue<unknown>[],
): SyncFinding {
  const first = issues[0];
  const path = first ? (v.getDotPath(first) ?? '') : '';
  return {
    kind: 'unreadable-property',
    issueKey,
    property,
    message: `${property}${path ? `.${path}` : ''} ${first?.message ?? 'is invalid'}`,
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The `cxplan.goal` value: the plan's fields over what Jira holds (`kept`, so keys this version does not know
 * survive), with the verification record and the accounts the workflow's expressions compare `user` with mirrored
 * from the plan (the app's own record). Absent fields become undefined, which JSON drops.
 */
function goalProperty(
  goal: DeptGoal,
  synced: SyncedBase,
  verification: Pick<GoalProperty, 'verification' | 'verificationHistory'>,
  accounts: VerificationAccounts,
  kept?: GoalProperty,
): GoalProperty {
  return {
    ...kept,
    accounts,
    v: 1,
    id: goal.id,
    cycleId: goal.cycleId,
    departmentId: goal.departmentId,
    orgGoalId: goal.orgGoalId,
    businessObjectiveId: goal.businessObjectiveId,
    metric: goal.metric,
    verification: verification.verification,
    verificationHistory: verification.verificationHistory,
    synced,
  };
}

/** Fingerprint of a verification state with its history, for the three-way comparison. */
function verificationHash(value: Pick<GoalProperty, 'verification' | 'verificationHistory'>): string {
  return contentHash({ state: value.verification, history: value.verificationHistory });
}

function actionProperty(action: Action, synced: SyncedBase, kept?: ActionProperty): ActionProperty {
  return { ...kept, v: 1, id: action.id, cycleId: action.cycleId, goalId: action.deptGoalId, synced };
}

interface Reconciled {
  readonly fields: Record<string, unknown>;
  readonly synced: SyncedBase;
}

/** Reconciles summary, description and label of one matched issue; pushes pulls, conflicts and findings. */
function reconcileCommon(
  entity: SyncEntity,
  coreId: string,
  title: string,
  description: AdfDoc,
  issue: JiraIssue,
  base: SyncedBase,
  out: { pulls: JiraPull[]; conflicts: SyncConflict[]; findings: SyncFinding[] },
  dropped = false,
): Reconciled {
  const fields: Record<string, unknown> = {};
  const synced: SyncedBase = { ...base };
  const localSummary = jiraSummary(title);
  switch (threeWay(localSummary, issue.fields.summary, base.summary)) {
    case 'same':
      synced.summary = localSummary;
      break;
    case 'push':
      fields.summary = localSummary;
      synced.summary = localSummary;
      break;
    case 'pull':
      out.pulls.push({ kind: 'title', entity, coreId, issueKey: issue.key, title: issue.fields.summary });
      synced.summary = issue.fields.summary;
      break;
    case 'conflict':
      out.conflicts.push({
        entity,
        coreId,
        issueKey: issue.key,
        field: 'summary',
        local: localSummary,
        jira: issue.fields.summary,
      });
      break;
  }
  const wanted = contentHash(description);
  switch (threeWay(wanted, contentHash(issue.fields.description ?? null), base.description)) {
    case 'same':
      synced.description = wanted;
      break;
    case 'push':
      fields.description = description;
      synced.description = wanted;
      break;
    case 'pull':
      // Descriptions are generated from the plan; a Jira edit is kept and reported, never pulled or overwritten.
      out.findings.push({ kind: 'description-edited-in-jira', entity, coreId, issueKey: issue.key });
      break;
    case 'conflict':
      out.conflicts.push({
        entity,
        coreId,
        issueKey: issue.key,
        field: 'description',
        local: wanted,
        jira: 'edited in Jira',
      });
      break;
  }
  const labels = wantedLabels(issue.fields.labels, dropped);
  if (labels !== issue.fields.labels) {
    fields.labels = labels;
    if (dropped && !issue.fields.labels.includes(CXPLAN_DELETED_LABEL))
      out.findings.push({ kind: 'closed', entity, coreId, issueKey: issue.key, why: 'dropped' });
  }
  return { fields, synced };
}

/**
 * The labels an issue should carry: its own, `cxplan`, and `cxplan-deleted` exactly when its goal or action is
 * deleted or dropped. The same array when nothing changes, so callers can tell.
 */
function wantedLabels(labels: readonly string[], marked: boolean): readonly string[] {
  const next = labels.filter((l) => l !== CXPLAN_DELETED_LABEL || marked);
  if (!next.includes(CXPLAN_LABEL)) next.push(CXPLAN_LABEL);
  if (marked && !next.includes(CXPLAN_DELETED_LABEL)) next.push(CXPLAN_DELETED_LABEL);
  return next.length === labels.length && next.every((l, i) => l === labels[i]) ? labels : next;
}

/**
 * Plans a sync of one cycle: from the plan and the cxplan issues read back from Jira, the minimal operations
 * (creates, edits of changed fields only, transitions, property writes), the changes that flow back into the
 * plan, and the conflicts. Matching is by the core id in the `cxplan.*` property, so planning again after a
 * crash or a finished sync creates nothing twice; an unchanged plan yields no operation at all.
 */
export function planJiraSync(
  workspace: SyncWorkspace,
  issues: readonly JiraIssue[],
  config: JiraSyncConfig,
): JiraSyncPlan {
  const index = indexIssues(issues, config.cycleId);
  const createGoals: CreateIssueOp[] = [];
  const createActions: CreateIssueOp[] = [];
  const edits: EditIssueOp[] = [];
  const transitions: TransitionOp[] = [];
  const propertyWrites: PropertyWriteOp[] = [];
  const out = { pulls: [] as JiraPull[], conflicts: [] as SyncConflict[], findings: index.findings };
  const names = new Map((workspace.people ?? []).map((p) => [p.id, p.name]));
  const accountsOf = (goal: DeptGoal): VerificationAccounts =>
    verificationAccounts(goal, workspace.departments, (id) => names.get(id) ?? id);
  // An issue whose cxplan property was deleted or damaged in Jira is found again through the plan's own issue link
  // (written only by the app): its property is rewritten from the plan, taking what Jira shows now as the agreed
  // base, instead of a second issue being created.
  const restored = new Set<string>();
  const orphanOf = (link: { issueKey: string; issueId?: string | undefined } | undefined) => {
    if (!link) return undefined;
    const issue = index.orphans.find((o) =>
      link.issueId !== undefined ? o.id === link.issueId : o.key === link.issueKey,
    );
    if (!issue || restored.has(issue.key)) return undefined;
    restored.add(issue.key);
    return issue;
  };
  const agreedBase = (issue: JiraIssue): SyncedBase => ({
    summary: issue.fields.summary,
    description: contentHash(issue.fields.description ?? null),
  });
  const relinkGoal = (goal: DeptGoal): Matched<GoalProperty> | undefined => {
    const issue = orphanOf(goal.jira);
    if (!issue) return undefined;
    out.findings.push({ kind: 'property-restored', entity: 'goal', coreId: goal.id, issueKey: issue.key });
    return {
      issue,
      property: {
        v: 1,
        id: goal.id,
        cycleId: goal.cycleId,
        departmentId: goal.departmentId,
        verification: goal.verification,
        verificationHistory: goal.verificationHistory,
        synced: { ...agreedBase(issue), verification: verificationHash(goal) },
      },
    };
  };
  const relinkAction = (action: Action): Matched<ActionProperty> | undefined => {
    const issue = orphanOf(action.jira);
    if (!issue) return undefined;
    out.findings.push({
      kind: 'property-restored',
      entity: 'action',
      coreId: action.id,
      issueKey: issue.key,
    });
    return {
      issue,
      property: {
        v: 1,
        id: action.id,
        cycleId: action.cycleId,
        goalId: action.deptGoalId,
        synced: { ...agreedBase(issue), statusCategory: issue.fields.status.statusCategory.key },
      },
    };
  };

  const goals = workspace.deptGoals.filter((goal) => goal.cycleId === config.cycleId);
  const epicKeyByGoal = new Map<string, string>();

  for (const goal of goals) {
    const orgGoal = workspace.orgGoals.find((candidate) => candidate.id === goal.orgGoalId);
    const department = workspace.departments.find((candidate) => candidate.id === goal.departmentId);
    const objective = workspace.organisation.businessObjectives.find(
      (o) => o.id === goal.businessObjectiveId,
    );
    const description = goalDescription(goal, {
      orgGoal,
      department,
      ...(objective && { businessObjective: objective.name }),
    });
    const matches = index.goals.get(goal.id) ?? [];
    const match = matches[0] ?? relinkGoal(goal);
    if (matches.length > 1) {
      out.findings.push({
        kind: 'duplicate',
        entity: 'goal',
        coreId: goal.id,
        issueKeys: matches.map((m) => m.issue.key),
      });
    }
    if (!match) {
      const summary = jiraSummary(goal.title);
      createGoals.push({
        entity: 'goal',
        coreId: goal.id,
        fields: {
          project: { key: config.projectKey },
          issuetype: { id: config.epicIssueTypeId },
          summary,
          description,
          labels: [CXPLAN_LABEL],
        },
        properties: [
          {
            key: GOAL_PROPERTY,
            value: goalProperty(
              goal,
              { summary, description: contentHash(description), verification: verificationHash(goal) },
              goal,
              accountsOf(goal),
            ),
          },
        ],
      });
      continue;
    }
    const { issue, property } = match;
    epicKeyByGoal.set(goal.id, issue.key);
    if (goal.jira?.issueKey !== issue.key) {
      out.pulls.push({
        kind: 'link',
        entity: 'goal',
        coreId: goal.id,
        issueKey: issue.key,
        issueId: issue.id,
      });
    }
    const { fields, synced } = reconcileCommon(
      'goal',
      goal.id,
      goal.title,
      description,
      issue,
      property.synced,
      out,
    );
    if (Object.keys(fields).length > 0)
      edits.push({ entity: 'goal', coreId: goal.id, issueKey: issue.key, fields });
    // Verification is recorded only by the workflow modules, into the team store (data only the app writes); the
    // property is its mirror for display and JQL. A property that says otherwise was edited outside cxplan: it is
    // rewritten from the store and reported, never taken into the plan.
    const localVerification = verificationHash(goal);
    synced.verification = localVerification;
    if (
      localVerification !== verificationHash(property) &&
      verificationHash(property) !== property.synced.verification
    ) {
      out.findings.push({
        kind: 'verification-restored',
        coreId: goal.id,
        issueKey: issue.key,
        claimed: property.verification.status,
      });
    }
    const wanted = goalProperty(goal, synced, goal, accountsOf(goal), property);
    if (canonicalJson(wanted) !== canonicalJson(issue.properties[GOAL_PROPERTY])) {
      propertyWrites.push({
        entity: 'goal',
        coreId: goal.id,
        issueKey: issue.key,
        key: GOAL_PROPERTY,
        value: wanted,
      });
    }
  }

  const goalIds = new Set(goals.map((goal) => goal.id));
  const deletedGoals = new Set(workspace.deleted?.deptGoals ?? []);
  const deletedActions = new Set(workspace.deleted?.actions ?? []);
  /** Live actions of a deleted goal: their issues are closed with it. */
  const orphaned = new Set<string>();
  const actions = workspace.actions.filter((action) => action.cycleId === config.cycleId);
  const actionIds = new Set<string>();
  for (const action of actions) {
    if (deletedGoals.has(action.deptGoalId)) {
      orphaned.add(action.id);
      continue;
    }
    if (!goalIds.has(action.deptGoalId)) {
      out.findings.push({ kind: 'goal-not-in-cycle', actionId: action.id, goalId: action.deptGoalId });
      continue;
    }
    actionIds.add(action.id);
    const description = actionDescription(action);
    const epicKey = epicKeyByGoal.get(action.deptGoalId);
    const matches = index.actions.get(action.id) ?? [];
    const match = matches[0] ?? relinkAction(action);
    if (matches.length > 1) {
      out.findings.push({
        kind: 'duplicate',
        entity: 'action',
        coreId: action.id,
        issueKeys: matches.map((m) => m.issue.key),
      });
    }
    const localCategory = statusCategoryOf(action.status);
    if (!match) {
      const summary = jiraSummary(action.title);
      const base: SyncedBase = { summary, description: contentHash(description), statusCategory: 'new' };
      createActions.push({
        entity: 'action',
        coreId: action.id,
        fields: {
          project: { key: config.projectKey },
          issuetype: { id: config.actionIssueTypeId },
          summary,
          description,
          labels: wantedLabels([CXPLAN_LABEL], action.status === 'dropped'),
        },
        // A new issue starts in its workflow's initial status ("new"); the base says so until a transition lands.
        properties: [{ key: ACTION_PROPERTY, value: actionProperty(action, base) }],
        ...(localCategory !== 'new' && {
          thenTransition: {
            toCategory: localCategory,
            property: {
              key: ACTION_PROPERTY,
              value: actionProperty(action, { ...base, statusCategory: localCategory }),
            },
          },
        }),
        parent: epicKey ? { key: epicKey } : { goalId: action.deptGoalId },
      });
      continue;
    }
    const { issue, property } = match;
    if (action.jira?.issueKey !== issue.key) {
      out.pulls.push({
        kind: 'link',
        entity: 'action',
        coreId: action.id,
        issueKey: issue.key,
        issueId: issue.id,
      });
    }
    // Status first: whether the issue ends up marked as dropped depends on the status this sync settles on.
    const jiraCategory = issue.fields.status.statusCategory.key;
    let status = action.status;
    let statusCategory: StatusCategory | undefined;
    switch (threeWay(localCategory, jiraCategory, property.synced.statusCategory)) {
      case 'same':
        statusCategory = localCategory;
        break;
      case 'push':
        transitions.push({ coreId: action.id, issueKey: issue.key, toCategory: localCategory });
        statusCategory = localCategory;
        break;
      case 'pull':
        status = actionStatusFromCategory(jiraCategory, action.status);
        out.pulls.push({ kind: 'status', coreId: action.id, issueKey: issue.key, status });
        statusCategory = jiraCategory;
        break;
      case 'conflict':
        out.conflicts.push({
          entity: 'action',
          coreId: action.id,
          issueKey: issue.key,
          field: 'status',
          local: localCategory,
          jira: jiraCategory,
        });
        break;
    }
    const reconciled = reconcileCommon(
      'action',
      action.id,
      action.title,
      description,
      issue,
      property.synced,
      out,
      status === 'dropped',
    );
    const fields = reconciled.fields;
    const synced: SyncedBase = {
      ...reconciled.synced,
      ...(statusCategory !== undefined && { statusCategory }),
    };
    if (epicKey && issue.fields.parent?.key !== epicKey) fields.parent = { key: epicKey };
    if (Object.keys(fields).length > 0)
      edits.push({ entity: 'action', coreId: action.id, issueKey: issue.key, fields });
    const wanted = actionProperty(action, synced, property);
    if (canonicalJson(wanted) !== canonicalJson(issue.properties[ACTION_PROPERTY])) {
      propertyWrites.push({
        entity: 'action',
        coreId: action.id,
        issueKey: issue.key,
        key: ACTION_PROPERTY,
        value: wanted,
      });
    }
  }

  const closes: CloseIssueOp[] = [];
  const close = (entity: SyncEntity, coreId: string, issue: JiraIssue, why: 'deleted' | 'goal-deleted') => {
    const labels = wantedLabels(issue.fields.labels, true);
    const transition = issue.fields.status.statusCategory.key !== 'done';
    if (labels === issue.fields.labels && !transition) return;
    closes.push({
      entity,
      coreId,
      issueKey: issue.key,
      ...(labels !== issue.fields.labels && { labels }),
      transition,
    });
    if (labels !== issue.fields.labels)
      out.findings.push({ kind: 'closed', entity, coreId, issueKey: issue.key, why });
  };
  for (const [coreId, list] of index.goals) {
    if (goalIds.has(coreId)) continue;
    for (const m of list) {
      if (deletedGoals.has(coreId)) close('goal', coreId, m.issue, 'deleted');
      else out.findings.push({ kind: 'not-in-plan', entity: 'goal', coreId, issueKey: m.issue.key });
    }
  }
  for (const [coreId, list] of index.actions) {
    if (actionIds.has(coreId)) continue;
    for (const m of list) {
      if (deletedActions.has(coreId)) close('action', coreId, m.issue, 'deleted');
      else if (orphaned.has(coreId)) close('action', coreId, m.issue, 'goal-deleted');
      else out.findings.push({ kind: 'not-in-plan', entity: 'action', coreId, issueKey: m.issue.key });
    }
  }

  // What was restored is no longer unkeyed or unreadable.
  const findings = out.findings.filter(
    (f) => !((f.kind === 'unkeyed' || f.kind === 'unreadable-property') && restored.has(f.issueKey)),
  );
  return { createGoals, createActions, edits, transitions, propertyWrites, closes, ...out, findings };
}

/** How many Jira write requests a plan needs at most (bulk creates in batches of `batchSize`). */
export function plannedWriteCalls(plan: JiraSyncPlan, batchSize = 50): number {
  const batches = (n: number): number => Math.ceil(n / batchSize);
  // A transition also needs one read first (the issue's available transitions); only the write is counted here.
  return (
    batches(plan.createGoals.length) +
    batches(plan.createActions.length) +
    plan.edits.length +
    plan.transitions.length +
    plan.propertyWrites.length +
    plan.closes.reduce((n, c) => n + (c.labels ? 1 : 0) + (c.transition ? 1 : 0), 0)
  );
}
