import {
  ACTION_PROPERTY,
  type CreateIssueOp,
  CXPLAN_DELETED_LABEL,
  cxplanIssuesJql,
  GOAL_PROPERTY,
  type JiraIssue,
  JiraIssueSchema,
  type JiraPull,
  type JiraSyncConfig,
  type JiraSyncPlan,
  parseWith,
  planJiraSync,
  type StatusCategory,
  SYNC_FIELDS,
  type SyncConflict,
  type SyncEntity,
  type SyncFinding,
  type SyncWorkspace,
} from '@cxplan/core';
import {
  BULK_CREATE_LIMIT,
  describeFieldErrors,
  JiraBudgetExceeded,
  type JiraClient,
  JiraError,
} from '../jira-client/jira-client';

/** One operation Jira refused or that could not run; names the entity, the issue and the fields. */
export interface SyncFailure {
  readonly entity: SyncEntity;
  readonly coreId: string;
  readonly issueKey?: string;
  readonly operation: string;
  readonly message: string;
  readonly fieldErrors: Readonly<Record<string, string>>;
}

/** What a sync did, for the admin page and the log. */
export interface SyncReport {
  readonly created: ReadonlyArray<{
    readonly entity: SyncEntity;
    readonly coreId: string;
    readonly issueKey: string;
  }>;
  readonly edited: number;
  readonly transitioned: number;
  readonly propertiesWritten: number;
  /** Changes from Jira to apply to the plan (links of created issues included). */
  readonly pulls: readonly JiraPull[];
  readonly conflicts: readonly SyncConflict[];
  readonly findings: readonly SyncFinding[];
  readonly failures: readonly SyncFailure[];
  /** Set when the time budget ran out; the next sync continues where this one stopped. */
  readonly stoppedEarly?: string;
}

/** Reads every cxplan issue of the project; issues Jira returns in a shape the sync cannot read become findings. */
export async function readCxplanIssues(
  client: JiraClient,
  projectKey: string,
): Promise<{ issues: JiraIssue[]; findings: SyncFinding[] }> {
  const raw = await client.searchAll(cxplanIssuesJql(projectKey), SYNC_FIELDS, [
    GOAL_PROPERTY,
    ACTION_PROPERTY,
  ]);
  const issues: JiraIssue[] = [];
  const findings: SyncFinding[] = [];
  for (const item of raw) {
    const parsed = parseWith(JiraIssueSchema, item, 'issue');
    if (parsed.ok) issues.push(parsed.value);
    else {
      const key = (item as { key?: unknown } | null)?.key;
      findings.push({
        kind: 'unreadable-property',
        issueKey: typeof key === 'string' ? key : '?',
        property: 'fields',
        message: parsed.errors[0]?.message ?? 'unreadable issue',
      });
    }
  }
  return { issues, findings };
}

/** Reads Jira, plans, and applies the plan: the whole sync of one cycle. */
export async function syncToJira(
  client: JiraClient,
  workspace: SyncWorkspace,
  config: JiraSyncConfig,
): Promise<SyncReport> {
  const { issues, findings } = await readCxplanIssues(client, config.projectKey);
  const plan = planJiraSync(workspace, issues, config);
  const report = await applySyncPlan(client, plan);
  return { ...report, findings: [...findings, ...report.findings] };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function failureFrom(
  entity: SyncEntity,
  coreId: string,
  issueKey: string | undefined,
  operation: string,
  error: unknown,
): SyncFailure {
  if (error instanceof JiraError) {
    return {
      entity,
      coreId,
      ...(issueKey && { issueKey }),
      operation,
      message: error.message,
      fieldErrors: error.fieldErrors,
    };
  }
  return {
    entity,
    coreId,
    ...(issueKey && { issueKey }),
    operation,
    message: String(error),
    fieldErrors: {},
  };
}

/**
 * Applies a plan with the client: creates epics then their children in bulk (≤ 50 per call, per-item failures
 * reported by field), edits, transitions, closes (issues of deleted goals and actions), then property writes. A property write carries the new sync base, so
 * it is skipped when the same issue's edit or transition failed: the next sync then retries rather than losing a
 * change. If the time budget runs out the report says so; everything done so far is keyed and will be found again.
 */
export async function applySyncPlan(client: JiraClient, plan: JiraSyncPlan): Promise<SyncReport> {
  const created: Array<{ entity: SyncEntity; coreId: string; issueKey: string }> = [];
  const pulls: JiraPull[] = [...plan.pulls];
  const failures: SyncFailure[] = [];
  const failedKeys = new Set<string>();
  const epicKeyByGoal = new Map<string, string>();
  let edited = 0;
  let transitioned = 0;
  let propertiesWritten = 0;

  const createBatch = async (ops: readonly CreateIssueOp[]): Promise<void> => {
    const ready: Array<{ op: CreateIssueOp; fields: Record<string, unknown> }> = [];
    for (const op of ops) {
      const fields: Record<string, unknown> = { ...op.fields };
      if (op.parent) {
        const key = 'key' in op.parent ? op.parent.key : epicKeyByGoal.get(op.parent.goalId);
        if (!key) {
          failures.push({
            entity: op.entity,
            coreId: op.coreId,
            operation: 'create issue',
            message: `Not created: the epic of goal ${'goalId' in op.parent ? op.parent.goalId : '?'} does not exist in Jira yet (see its failure); the next sync creates both.`,
            fieldErrors: {},
          });
          continue;
        }
        fields.parent = { key };
      }
      ready.push({ op, fields });
    }
    for (const batch of chunks(ready, BULK_CREATE_LIMIT)) {
      const results = await client.createIssues(
        batch.map(({ op, fields }) => ({ fields, properties: op.properties })),
      );
      results.forEach((result, index) => {
        const item = batch[index];
        if (!item) return;
        const { op } = item;
        if (result.ok) {
          created.push({ entity: op.entity, coreId: op.coreId, issueKey: result.key });
          if (op.entity === 'goal') epicKeyByGoal.set(op.coreId, result.key);
          pulls.push({
            kind: 'link',
            entity: op.entity,
            coreId: op.coreId,
            issueKey: result.key,
            issueId: result.id,
          });
        } else {
          const summary = String(op.fields.summary ?? op.coreId);
          const details = [describeFieldErrors(result.fieldErrors), ...result.messages]
            .filter(Boolean)
            .join('; ');
          failures.push({
            entity: op.entity,
            coreId: op.coreId,
            operation: 'create issue',
            message: `Jira refused to create the ${op.entity === 'goal' ? 'epic' : 'issue'} for ${op.entity} ${op.coreId} "${summary}" (HTTP ${result.status}): ${details}`,
            fieldErrors: result.fieldErrors,
          });
        }
      });
    }
  };

  const transitionTo = async (issueKey: string, category: StatusCategory): Promise<void> => {
    const { transitions } = await client.getTransitions(issueKey);
    const transition = transitions.find((t) => t.to.statusCategory.key === category);
    if (!transition) {
      throw new JiraError(
        `No transition of ${issueKey} leads to a status in the "${category}" category; check the project's workflow.`,
        409,
        'transition issue',
        issueKey,
        { status: `no transition to a ${category} status` },
        [],
      );
    }
    await client.transitionIssue(issueKey, transition.id);
  };

  try {
    await createBatch(plan.createGoals);
    await createBatch(plan.createActions);
    const actionKeys = new Map(
      created.filter((c) => c.entity === 'action').map((c) => [c.coreId, c.issueKey]),
    );
    for (const op of plan.createActions) {
      const key = actionKeys.get(op.coreId);
      if (!key || !op.thenTransition) continue;
      try {
        await transitionTo(key, op.thenTransition.toCategory);
        await client.setIssueProperty(key, op.thenTransition.property.key, op.thenTransition.property.value);
        transitioned++;
        propertiesWritten++;
      } catch (error) {
        if (error instanceof JiraBudgetExceeded) throw error;
        failures.push(failureFrom('action', op.coreId, key, 'transition issue', error));
      }
    }
    for (const op of plan.edits) {
      try {
        await client.editIssue(op.issueKey, op.fields);
        edited++;
      } catch (error) {
        if (error instanceof JiraBudgetExceeded) throw error;
        failedKeys.add(op.issueKey);
        failures.push(failureFrom(op.entity, op.coreId, op.issueKey, 'edit issue', error));
      }
    }
    for (const op of plan.transitions) {
      try {
        await transitionTo(op.issueKey, op.toCategory);
        transitioned++;
      } catch (error) {
        if (error instanceof JiraBudgetExceeded) throw error;
        failedKeys.add(op.issueKey);
        failures.push(failureFrom('action', op.coreId, op.issueKey, 'transition issue', error));
      }
    }
    for (const op of plan.closes) {
      try {
        if (op.labels) {
          await client.editIssue(op.issueKey, { labels: op.labels });
          edited++;
        }
        if (op.transition) {
          await transitionTo(op.issueKey, 'done');
          transitioned++;
        }
      } catch (error) {
        if (error instanceof JiraBudgetExceeded) throw error;
        const failure = failureFrom(op.entity, op.coreId, op.issueKey, 'close issue', error);
        failures.push(
          error instanceof JiraError && error.status === 409
            ? {
                ...failure,
                message: `${op.issueKey} is labelled ${CXPLAN_DELETED_LABEL} but could not be closed: its workflow offers no transition to a done status from where it is. Close it by hand, or add such a transition (the sync tries again each time).`,
              }
            : failure,
        );
      }
    }
    for (const op of plan.propertyWrites) {
      if (failedKeys.has(op.issueKey)) continue;
      try {
        await client.setIssueProperty(op.issueKey, op.key, op.value);
        propertiesWritten++;
      } catch (error) {
        if (error instanceof JiraBudgetExceeded) throw error;
        failures.push(failureFrom(op.entity, op.coreId, op.issueKey, `write property ${op.key}`, error));
      }
    }
  } catch (error) {
    if (!(error instanceof JiraBudgetExceeded)) throw error;
    return {
      created,
      edited,
      transitioned,
      propertiesWritten,
      pulls,
      conflicts: plan.conflicts,
      findings: plan.findings,
      failures,
      stoppedEarly: error.message,
    };
  }
  return {
    created,
    edited,
    transitioned,
    propertiesWritten,
    pulls,
    conflicts: plan.conflicts,
    findings: plan.findings,
    failures,
  };
}
