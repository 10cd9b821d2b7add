import {
  evaluateJiraExpression,
  JIRA_EXPRESSION_MAX_LEAVES,
  JIRA_EXPRESSION_MAX_LENGTH,
  type JiraValue,
  syntaxLeaves,
  type VerifyFacts,
  verifierConditionExpression,
  verifierIdentityExpression,
  WHO_MAY_VERIFY_CASES,
  WORKFLOW_MODULE_KEYS,
  whoMayVerify,
} from '@cxplan/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ManifestModule, manifestModules, moduleOf } from '../testing/manifest-modules';
import { RECONCILE_EVENT } from './reconcile-trigger';

let modules: Record<string, ManifestModule[]>;
beforeAll(async () => {
  modules = await manifestModules();
}, 60_000);

const K = WORKFLOW_MODULE_KEYS;
const name = (id: string): string => `Name of ${id}`;
const account = (id: string | undefined): JiraValue =>
  id === undefined ? null : { accountId: id, displayName: name(id) };

/** What Jira gives the manifest's expressions for a golden case: the actor as `user`, the facts in the property. */
function jiraContext(facts: VerifyFacts): Record<string, JiraValue> {
  return {
    user: { accountId: facts.actorId, displayName: name(facts.actorId) },
    issue: {
      properties: {
        'cxplan.goal': {
          verification: { status: facts.recordedVerifierId === undefined ? 'draft' : 'submitted' },
          accounts: {
            verifier: account(facts.recordedVerifierId),
            departmentManager: account(facts.departmentManagerId),
            owner: account(facts.ownerId),
            submitter: account(facts.submittedBy),
          },
        },
      },
    },
  };
}

describe('manifest.yml workflow modules do not drift from the core rule', () => {
  it('carries exactly the expressions generated from the core clauses', () => {
    expect(moduleOf(modules, 'jira:workflowCondition', K.condition).expression).toBe(
      verifierConditionExpression(),
    );
    expect(moduleOf(modules, 'jira:workflowValidator', K.verifierIdentity).expression).toBe(
      verifierIdentityExpression(),
    );
  });

  it("keeps both expressions within Jira's limits (1,000 characters, 100 syntactic elements)", () => {
    for (const expression of [
      String(moduleOf(modules, 'jira:workflowCondition', K.condition).expression),
      String(moduleOf(modules, 'jira:workflowValidator', K.verifierIdentity).expression),
    ]) {
      expect(expression.length).toBeLessThanOrEqual(JIRA_EXPRESSION_MAX_LENGTH);
      expect(syntaxLeaves(expression)).toBeLessThanOrEqual(JIRA_EXPRESSION_MAX_LEAVES);
    }
  });

  it.each(WHO_MAY_VERIFY_CASES.map((c) => [c.name, c] as const))('agrees with the core: %s', (_name, c) => {
    const condition = String(moduleOf(modules, 'jira:workflowCondition', K.condition).expression);
    const validator = String(moduleOf(modules, 'jira:workflowValidator', K.verifierIdentity).expression);
    const core = whoMayVerify(c.facts, name);
    expect(evaluateJiraExpression(condition, jiraContext(c.facts))).toBe(c.expected === true);
    expect(evaluateJiraExpression(validator, jiraContext(c.facts))).toBe(core.allowed ? true : core.message);
  });

  it('declares every module the workflow documentation names, with a handler that exists', async () => {
    const functions = new Map((modules.function ?? []).map((f) => [f.key, String(f.handler)]));
    const byFunction = [
      moduleOf(modules, 'jira:workflowValidator', K.rejectReasonValidator),
      moduleOf(modules, 'jira:workflowPostFunction', K.submitPostFunction),
      moduleOf(modules, 'jira:workflowPostFunction', K.verdictPostFunction),
      moduleOf(modules, 'trigger', 'cxplan-verification-reconciler'),
    ];
    for (const module of byFunction) {
      const handler = functions.get(String(module.function));
      expect(handler, `${module.key} → function ${String(module.function)}`).toBeDefined();
      const [file, exported] = String(handler).split('.');
      const url = new URL(`../${file}.ts`, import.meta.url).href;
      const loaded = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      expect(typeof loaded[exported ?? ''], `${handler} is exported`).toBe('function');
    }
    expect(moduleOf(modules, 'trigger', 'cxplan-verification-reconciler').events).toEqual([RECONCILE_EVENT]);
  });
});
