import * as v from 'valibot';
import {
  REQUIRED_STATUSES,
  REQUIRED_TRANSITIONS,
  type VerificationStatusName,
  verificationStatusOf,
  type WorkflowModuleKey,
} from './workflow-spec';

const RuleSchema = v.object({
  ruleKey: v.string(),
  parameters: v.optional(v.record(v.string(), v.string()), {}),
});
/** One rule (condition, validator or post function) as Jira's `POST /rest/api/3/workflows` returns it. */
export type WorkflowRule = v.InferOutput<typeof RuleSchema>;

type ConditionGroup = { conditions: WorkflowRule[]; conditionGroups: ConditionGroup[] };
const ConditionGroupSchema: v.GenericSchema<unknown, ConditionGroup> = v.object({
  conditions: v.optional(v.array(RuleSchema), []),
  conditionGroups: v.optional(v.array(v.lazy(() => ConditionGroupSchema)), []),
});

/** The part of `POST /rest/api/3/workflows` (readWorkflows) the workflow check reads. */
export const WorkflowReadResponseSchema = v.object({
  statuses: v.optional(v.array(v.object({ statusReference: v.string(), name: v.string() })), []),
  workflows: v.array(
    v.object({
      name: v.string(),
      transitions: v.optional(
        v.array(
          v.object({
            id: v.string(),
            name: v.string(),
            type: v.optional(v.string()),
            toStatusReference: v.optional(v.string()),
            links: v.optional(
              v.array(v.object({ fromStatusReference: v.optional(v.nullable(v.string())) })),
              [],
            ),
            conditions: v.optional(v.nullable(ConditionGroupSchema)),
            validators: v.optional(v.array(RuleSchema), []),
            actions: v.optional(v.array(RuleSchema), []),
          }),
        ),
        [],
      ),
    }),
  ),
});
/** The workflows (and their statuses) used by a project's department-goal issue type. */
export type WorkflowReadResponse = v.InferOutput<typeof WorkflowReadResponseSchema>;

/** One finding of the workflow check: what is in place, or what is missing and how to add it. */
export type WorkflowFinding = { level: 'ok'; message: string } | { level: 'missing'; message: string };

/** The outcome of checking the configured workflow against the verification workflow cxplan needs. */
export interface WorkflowCheck {
  workflowName: string | undefined;
  ready: boolean;
  findings: WorkflowFinding[];
}

/**
 * True when a rule is one of this app's modules. Jira identifies a Forge rule by the module's extension id,
 * which ends with the module key (`…/static/<key>`); the key may also appear on its own.
 */
export function ruleIsModule(rule: WorkflowRule, key: WorkflowModuleKey): boolean {
  return Object.values(rule.parameters).some((value) => value === key || value.endsWith(`/${key}`));
}

function conditionRules(group: ConditionGroup | null | undefined): WorkflowRule[] {
  if (group == null) return [];
  return [...group.conditions, ...group.conditionGroups.flatMap((g) => conditionRules(g))];
}

const LIST = (items: readonly string[]): string => items.map((i) => `"${i}"`).join(', ');

/**
 * Checks the workflow of the department-goal issue type: the four statuses, the three transitions between the
 * right statuses, and cxplan's condition, validators and post functions on them. Says precisely what is missing.
 */
export function checkVerificationWorkflow(response: WorkflowReadResponse): WorkflowCheck {
  const workflow = response.workflows[0];
  if (workflow === undefined) {
    return {
      workflowName: undefined,
      ready: false,
      findings: [
        {
          level: 'missing',
          message: 'No workflow is associated with the department-goal issue type of this project',
        },
      ],
    };
  }
  const findings: WorkflowFinding[] = [];
  const statusOfRef = new Map<string, VerificationStatusName | undefined>();
  for (const s of response.statuses) statusOfRef.set(s.statusReference, verificationStatusOf(s.name));
  const present = new Set([...statusOfRef.values()].filter((s) => s !== undefined));
  for (const status of REQUIRED_STATUSES) {
    findings.push(
      present.has(status.verification)
        ? { level: 'ok', message: `Status "${status.name}" is present` }
        : { level: 'missing', message: `Add the status "${status.name}" to the workflow "${workflow.name}"` },
    );
  }
  for (const required of REQUIRED_TRANSITIONS) {
    const candidates = workflow.transitions.filter(
      (t) => t.name.trim().toLowerCase() === required.name.toLowerCase(),
    );
    const transition = candidates[0];
    if (transition === undefined) {
      findings.push({
        level: 'missing',
        message: `Add the transition "${required.name}" from ${LIST(required.from.map(cap))} to "${cap(required.to)}"`,
      });
      continue;
    }
    const to =
      transition.toStatusReference === undefined ? undefined : statusOfRef.get(transition.toStatusReference);
    if (to !== required.to) {
      findings.push({
        level: 'missing',
        message: `The transition "${required.name}" must go to "${cap(required.to)}"`,
      });
    }
    const fromAny = transition.type === 'GLOBAL' || transition.links.length === 0;
    const from = new Set(
      candidates.flatMap((t) =>
        t.links.map((l) =>
          l.fromStatusReference == null ? undefined : statusOfRef.get(l.fromStatusReference),
        ),
      ),
    );
    const missingFrom = required.from.filter((s) => !fromAny && !from.has(s));
    if (missingFrom.length > 0) {
      findings.push({
        level: 'missing',
        message: `The transition "${required.name}" must be available from ${LIST(missingFrom.map(cap))}`,
      });
    }
    const rules = {
      condition: candidates.flatMap((t) => conditionRules(t.conditions)),
      validator: candidates.flatMap((t) => t.validators),
      'post function': candidates.flatMap((t) => t.actions),
    };
    const wanted: [keyof typeof rules, readonly WorkflowModuleKey[]][] = [
      ['condition', required.conditions],
      ['validator', required.validators],
      ['post function', required.postFunctions],
    ];
    for (const [kind, keys] of wanted) {
      for (const key of keys) {
        findings.push(
          rules[kind].some((r) => ruleIsModule(r, key))
            ? { level: 'ok', message: `"${required.name}" has the cxplan ${kind} ${key}` }
            : {
                level: 'missing',
                message: `Add the cxplan ${kind} "${key}" to the transition "${required.name}"`,
              },
        );
      }
    }
  }
  return { workflowName: workflow.name, ready: findings.every((f) => f.level === 'ok'), findings };
}

function cap(status: VerificationStatusName): string {
  return REQUIRED_STATUSES.find((s) => s.verification === status)?.name ?? status;
}
