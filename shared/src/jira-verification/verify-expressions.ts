import { GOAL_PROPERTY } from '../jira/jira-issue';
import {
  type VerifyClauseId,
  type VerifyFacts,
  WHO_MAY_VERIFY_CLAUSES,
} from '../verification/who-may-verify';

/**
 * The Jira expressions of the workflow condition and validators, generated from the core's "who may verify"
 * clause table so the two cannot drift: each clause's predicate is translated here (the `Record` below makes a
 * new clause a compile error until it is translated) and each message is the core's own text with the names
 * filled in by Jira. The manifest carries the generated strings; a test compares them byte for byte and
 * evaluates them against the core's golden cases.
 */

type FactKey = keyof VerifyFacts;

/**
 * Jira refuses an expression longer than 1,000 characters or with more than 100 syntactic elements, so the
 * generated text is terse: `g` is the `cxplan.goal` property, `a` its recorded accounts, `s` whether the goal
 * awaits verification, `u` and `n` the acting user's account id and name. The limits are asserted in tests.
 */
const PRELUDE = [
  `let g = issue.properties['${GOAL_PROPERTY}'];`,
  'let a = g.accounts;',
  "let s = g.verification.status == 'submitted';",
  'let u = user.accountId;',
].join(' ');

/** The acting user's name, only where a message needs it (every element counts against Jira's limit). */
const NAME_PRELUDE = 'let n = user.displayName;';

/** Jira refuses longer expressions (characters). */
export const JIRA_EXPRESSION_MAX_LENGTH = 1000;
/** Jira refuses expressions with more syntactic elements (leaves of the syntax tree). */
export const JIRA_EXPRESSION_MAX_LEAVES = 100;

/** The Jira expression that is true when a fact is unknown (the core's `undefined`). */
const FACT_UNKNOWN: Record<Exclude<FactKey, 'actorId'>, string> = {
  // Only a goal awaiting verification has a recorded verifier: that is what the core's `recordedVerifierId` means.
  recordedVerifierId: '!s',
  departmentManagerId: 'a.departmentManager == null',
  ownerId: 'a.owner == null',
  submittedBy: 'a.submitter == null',
};

/** The Jira expression giving a fact's display name, for messages. */
const FACT_NAME: Record<FactKey, string> = {
  actorId: 'n',
  recordedVerifierId: 'a.verifier.displayName',
  departmentManagerId: 'a.departmentManager.displayName',
  ownerId: 'a.owner.displayName',
  submittedBy: 'a.submitter.displayName',
};

/** The Jira expression giving a fact's account id. */
const FACT_ID: Record<FactKey, string> = {
  actorId: 'u',
  recordedVerifierId: 'a.verifier.accountId',
  departmentManagerId: 'a.departmentManager.accountId',
  ownerId: 'a.owner.accountId',
  submittedBy: 'a.submitter.accountId',
};

/** Each clause of the core rule as a Jira expression over the facts (null stands for the core's undefined). */
const CLAUSE_EXPRESSION: Record<VerifyClauseId, string> = {
  'is-recorded-up-line-manager': 's && a.verifier.accountId == u',
  'not-department-manager': 'a.departmentManager == null || a.departmentManager.accountId != u',
  'not-owner': 'a.owner == null || a.owner.accountId != u',
  'not-submitter': 'a.submitter == null || a.submitter.accountId != u',
};

/** The Jira expression of one clause of the core rule (used by tests to check clauses one by one). */
export function clauseExpression(id: VerifyClauseId): string {
  return `${PRELUDE}\n${CLAUSE_EXPRESSION[id]}`;
}

const SENTINEL = '\u0001';
const NAME_OPEN = '\u0002';
const NAME_CLOSE = '\u0003';

/** A string literal; double quotes when the text has an apostrophe, so no escape is needed. */
function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  if (!text.includes("'")) return `'${escaped}'`;
  return `"${escaped.replace(/"/g, '\\"')}"`;
}

/** Turns a core message rendered with placeholder ids into a Jira string-concatenation expression. */
function templateToExpression(message: string): string {
  const parts: string[] = [];
  const pattern = new RegExp(
    `${NAME_OPEN}${SENTINEL}(\\w+)${SENTINEL}${NAME_CLOSE}|${SENTINEL}(\\w+)${SENTINEL}`,
    'g',
  );
  let last = 0;
  for (const match of message.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(quote(message.slice(last, index)));
    const named = match[1] as FactKey | undefined;
    const raw = match[2] as FactKey | undefined;
    if (named !== undefined) parts.push(FACT_NAME[named]);
    else if (raw !== undefined) parts.push(FACT_ID[raw]);
    last = index + match[0].length;
  }
  if (last < message.length) parts.push(quote(message.slice(last)));
  return parts.length === 0 ? "''" : parts.join(' + ');
}

const PLACEHOLDER_FACTS: VerifyFacts = {
  actorId: `${SENTINEL}actorId${SENTINEL}`,
  recordedVerifierId: `${SENTINEL}recordedVerifierId${SENTINEL}`,
  departmentManagerId: `${SENTINEL}departmentManagerId${SENTINEL}`,
  ownerId: `${SENTINEL}ownerId${SENTINEL}`,
  submittedBy: `${SENTINEL}submittedBy${SENTINEL}`,
};

const placeholderName = (id: string): string => `${NAME_OPEN}${id}${NAME_CLOSE}`;

/**
 * A clause's message as a Jira expression. The core's message may depend on whether a fact is known (e.g. "not
 * submitted yet" when there is no verifier); such a fact becomes a `== null ?` branch.
 */
function messageExpression(clause: (typeof WHO_MAY_VERIFY_CLAUSES)[number]): string {
  const base = clause.message(PLACEHOLDER_FACTS, placeholderName);
  const optional: Exclude<FactKey, 'actorId'>[] = [
    'recordedVerifierId',
    'departmentManagerId',
    'ownerId',
    'submittedBy',
  ];
  const varying = optional.filter(
    (fact) => clause.message({ ...PLACEHOLDER_FACTS, [fact]: undefined }, placeholderName) !== base,
  );
  const [fact, ...more] = varying;
  if (fact === undefined) return templateToExpression(base);
  if (more.length > 0) {
    throw new Error(
      `clause ${clause.id}: its message depends on several optional facts; extend the generator`,
    );
  }
  const without = clause.message({ ...PLACEHOLDER_FACTS, [fact]: undefined }, placeholderName);
  return `(${FACT_UNKNOWN[fact]} ? ${templateToExpression(without)} : ${templateToExpression(base)})`;
}

/** The workflow condition: true only for someone the core rule lets verify or reject this goal. */
export function verifierConditionExpression(): string {
  const all = WHO_MAY_VERIFY_CLAUSES.map((c) => `(${CLAUSE_EXPRESSION[c.id]})`).join('\n&& ');
  return `${PRELUDE}\n${all}`;
}

function validatorExpression(): string {
  const checks = WHO_MAY_VERIFY_CLAUSES.map((c) => `!(${CLAUSE_EXPRESSION[c.id]}) ? ${messageExpression(c)}`);
  return `${PRELUDE} ${NAME_PRELUDE}\n${checks.join('\n: ')}\n: true`;
}

/**
 * The identity validator on Verify and Reject: `true`, or the core's message for the first clause that fails. It
 * repeats the condition on purpose: conditions only hide a transition, a validator also refuses it over REST and in
 * bulk. It reads the accounts mirrored in `cxplan.goal`, which anyone who may edit the issue may rewrite, so it is
 * configured after the function validator that refuses unless that mirror is the app's own record.
 */
export function verifierIdentityExpression(): string {
  return validatorExpression();
}
