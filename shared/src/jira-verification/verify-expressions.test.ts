import { describe, expect, it } from 'vitest';
import {
  type VerifyFacts,
  WHO_MAY_VERIFY_CASES,
  WHO_MAY_VERIFY_CLAUSES,
  whoMayVerify,
} from '../verification/who-may-verify';
import { evaluateJiraExpression, JiraExpressionError, type JiraValue, syntaxLeaves } from './jira-expression';
import { reasonFromComment } from './reject-reason';
import {
  clauseExpression,
  JIRA_EXPRESSION_MAX_LEAVES,
  JIRA_EXPRESSION_MAX_LENGTH,
  verifierConditionExpression,
  verifierIdentityExpression,
} from './verify-expressions';

const NAMES: Record<string, string> = {
  bea: 'Bea Up-line',
  dan: 'Dan Manager',
  olga: 'Olga Owner',
  sam: 'Sam Submitter',
  ceo: 'Cleo CEO',
};
const nameOf = (id: string): string => NAMES[id] ?? id;

const account = (id: string | undefined): JiraValue =>
  id === undefined ? null : { accountId: id, displayName: nameOf(id) };

/** The Jira context a workflow rule sees for a golden case: the actor as `user`, the facts in the property. */
function contextFor(facts: VerifyFacts): Record<string, JiraValue> {
  return {
    user: { accountId: facts.actorId, displayName: nameOf(facts.actorId) },
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

describe('the generated Jira expressions agree with the core rule on every golden case', () => {
  for (const c of WHO_MAY_VERIFY_CASES) {
    it(c.name, () => {
      const core = whoMayVerify(c.facts, nameOf);
      expect(core.allowed).toBe(c.expected === true);
      expect(evaluateJiraExpression(verifierConditionExpression(), contextFor(c.facts))).toBe(core.allowed);
      expect(evaluateJiraExpression(verifierIdentityExpression(), contextFor(c.facts))).toBe(
        core.allowed ? true : core.message,
      );
      for (const clause of WHO_MAY_VERIFY_CLAUSES) {
        const failsInCore = c.expected !== true && c.expected.includes(clause.id);
        expect(evaluateJiraExpression(clauseExpression(clause.id), contextFor(c.facts)), clause.id).toBe(
          !failsInCore,
        );
      }
    });
  }
});

describe('the Reject reason', () => {
  it('is read from every shape Jira gives a transition comment', () => {
    const adf = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'No baseline' }] }],
    };
    expect(reasonFromComment('  Needs a target ')).toBe('Needs a target');
    expect(reasonFromComment(adf)).toBe('No baseline');
    expect(reasonFromComment({ body: adf })).toBe('No baseline');
    expect(reasonFromComment([{ add: { body: adf } }])).toBe('No baseline');
    expect(reasonFromComment({ comments: [{ body: 'old' }, { body: adf }] })).toBe('No baseline');
  });
  it('is missing when blank or absent', () => {
    expect(reasonFromComment(undefined)).toBeUndefined();
    expect(reasonFromComment('   ')).toBeUndefined();
    expect(reasonFromComment({ type: 'doc', version: 1, content: [] })).toBeUndefined();
    expect(reasonFromComment(42)).toBeUndefined();
  });
});

describe('fail closed, as Jira does', () => {
  /** What a Jira condition yields: an expression that fails to evaluate counts as false. */
  const condition = (context: Record<string, JiraValue>): JiraValue => {
    try {
      return evaluateJiraExpression(verifierConditionExpression(), context);
    } catch (error) {
      if (error instanceof JiraExpressionError) return false;
      throw error;
    }
  };
  it('hides Verify from an anonymous user and on an issue without the property', () => {
    const c = WHO_MAY_VERIFY_CASES[0];
    if (c === undefined) throw new Error('no cases');
    expect(condition(contextFor(c.facts))).toBe(true);
    expect(condition({ ...contextFor(c.facts), user: null })).toBe(false);
    expect(condition({ user: { accountId: 'bea' }, issue: { properties: {} } })).toBe(false);
  });
  it('reports a type error instead of guessing', () => {
    expect(() => evaluateJiraExpression("1 && 'x'", {})).toThrow(JiraExpressionError);
    expect(() => evaluateJiraExpression('a.b', { a: null })).toThrow(/cannot read 'b' of null/);
    expect(() => evaluateJiraExpression('let x = 1 x', {})).toThrow(/expected ';'/);
  });
});

describe("Jira's limits on expressions", () => {
  it.each([
    ['condition', verifierConditionExpression()],
    ['validator', verifierIdentityExpression()],
  ])('the %s fits in 1,000 characters and 100 syntactic elements', (_name, expression) => {
    expect(expression.length).toBeLessThanOrEqual(JIRA_EXPRESSION_MAX_LENGTH);
    expect(syntaxLeaves(expression)).toBeLessThanOrEqual(JIRA_EXPRESSION_MAX_LEAVES);
  });
  it('counts leaves the way the limit does', () => {
    expect(syntaxLeaves("let g = issue.properties['k']; g.a == 'x'")).toBe(7);
  });
});
