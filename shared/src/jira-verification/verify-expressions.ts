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

/** The Jira expression variable that holds each fact (an Atlassian account id, or null). */
const FACT_VARIABLE: Record<FactKey, string> = {
  actorId: 'actor',
  recordedVerifierId: 'verifier',
  departmentManagerId: 'departmentManager',
  ownerId: 'owner',
  submittedBy: 'submitter',
};

/** The Jira expression giving a fact's display name, for messages. */
const FACT_NAME: Record<FactKey, string> = {
  actorId: 'actorName',
  recordedVerifierId: 'verifierName',
  departmentManagerId: 'departmentManagerName',
  ownerId: 'ownerName',
  submittedBy: 'submitterName',
};

/** Each clause of the core rule as a Jira expression over the fact variables (`null` stands for undefined). */
const CLAUSE_EXPRESSION: Record<VerifyClauseId, string> = {
  'is-recorded-up-line-manager': 'verifier != null && actor == verifier',
  'not-department-manager': 'departmentManager == null || actor != departmentManager',
  'not-owner': 'owner == null || actor != owner',
  'not-submitter': 'submitter == null || actor != submitter',
};

/** The Jira expression of one clause of the core rule (used by tests to check clauses one by one). */
export function clauseExpression(id: VerifyClauseId): string {
  return `${PRELUDE}\n${CLAUSE_EXPRESSION[id]}`;
}

const ROLE_OF: Record<Exclude<FactKey, 'actorId'>, string> = {
  recordedVerifierId: 'verifier',
  departmentManagerId: 'departmentManager',
  ownerId: 'owner',
  submittedBy: 'submitter',
};

function accountLets(): string[] {
  const lines: string[] = [];
  for (const [fact, role] of Object.entries(ROLE_OF) as [Exclude<FactKey, 'actorId'>, string][]) {
    const variable = FACT_VARIABLE[fact];
    // Only a goal awaiting verification has a verifier: that is what the core's `recordedVerifierId` means.
    const guard = fact === 'recordedVerifierId' ? 'awaiting && ' : '';
    lines.push(
      `let ${variable} = ${guard}accounts != null && accounts.${role} != null ? accounts.${role}.accountId : null;`,
    );
    lines.push(
      `let ${FACT_NAME[fact]} = accounts != null && accounts.${role} != null && accounts.${role}.displayName != null ? accounts.${role}.displayName : ${variable};`,
    );
  }
  return lines;
}

/** Declarations shared by every generated expression: the goal property, the accounts and the actor. */
const PRELUDE = [
  `let goal = issue.properties['${GOAL_PROPERTY}'];`,
  'let accounts = goal != null ? goal.accounts : null;',
  "let awaiting = goal != null && goal.verification != null && goal.verification.status == 'submitted';",
  'let actor = user != null ? user.accountId : null;',
  "let actorName = user != null && user.displayName != null ? user.displayName : 'an anonymous user';",
  ...accountLets(),
].join('\n');

const SENTINEL = '\u0001';
const NAME_OPEN = '\u0002';
const NAME_CLOSE = '\u0003';

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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
    else if (raw !== undefined) parts.push(FACT_VARIABLE[raw]);
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
  return `(${FACT_VARIABLE[fact]} == null ? ${templateToExpression(without)} : ${templateToExpression(base)})`;
}

/** The workflow condition: true only for someone the core rule lets verify or reject this goal. */
export function verifierConditionExpression(): string {
  const all = WHO_MAY_VERIFY_CLAUSES.map((c) => `(${CLAUSE_EXPRESSION[c.id]})`).join('\n  && ');
  return `${PRELUDE}\n${all}`;
}

function validatorExpression(): string {
  const checks = WHO_MAY_VERIFY_CLAUSES.map((c) => `!(${CLAUSE_EXPRESSION[c.id]}) ? ${messageExpression(c)}`);
  return `${PRELUDE}\n${checks.join('\n  : ')}\n  : true`;
}

/**
 * The validator on Verify and Reject: `true`, or the core's message for the first clause that fails. It repeats
 * the condition on purpose: conditions only hide a transition, the validator also refuses it over REST and in bulk.
 */
export function verifierValidatorExpression(): string {
  return validatorExpression();
}
