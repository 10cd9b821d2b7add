/**
 * The JQL the app emits, parsed for the fake Jira: clauses `project = "X"`, `labels = "x"`,
 * `issue.property[key].path = "v"` and `issue.property[key].path IS NOT EMPTY`, joined by AND / OR with
 * parentheses, and an optional `ORDER BY key|created ASC|DESC`. Anything else is refused loudly, so a new
 * query form in the app fails the tests until the fake understands it.
 */

/** A parsed JQL condition tree. */
export type JqlNode =
  | { readonly kind: 'and' | 'or'; readonly left: JqlNode; readonly right: JqlNode }
  | { readonly kind: 'equals'; readonly field: JqlField; readonly value: string }
  | { readonly kind: 'notEmpty'; readonly field: JqlField };

/** A field JQL can name here. */
export type JqlField =
  | { readonly kind: 'project' }
  | { readonly kind: 'labels' }
  | { readonly kind: 'property'; readonly key: string; readonly path: string };

/** A parsed query: condition and ordering. */
export interface JqlQuery {
  readonly where: JqlNode;
  readonly orderBy: { readonly field: 'key' | 'created'; readonly direction: 'asc' | 'desc' };
}

/** JQL the fake does not understand: the test must fail, not silently match nothing. */
export class UnsupportedJql extends Error {
  override readonly name = 'UnsupportedJql';
}

const TOKEN =
  /\s*(\(|\)|=|"(?:[^"\\]|\\.)*"|issue\.property\[[^\]]+\](?:\.[A-Za-z0-9_.]+)?|[A-Za-z_][A-Za-z0-9_-]*)/y;

function tokenize(jql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < jql.length) {
    if (/^\s*$/.test(jql.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(jql);
    if (!match?.[1]) throw new UnsupportedJql(`cannot read JQL at "${jql.slice(at).trim()}" in: ${jql}`);
    tokens.push(match[1]);
  }
  return tokens;
}

/** Parses the supported JQL subset or throws UnsupportedJql naming the part it refuses. */
export function parseJql(jql: string): JqlQuery {
  const tokens = tokenize(jql);
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new UnsupportedJql(`JQL ends early: ${jql}`);
    return token;
  };
  const keyword = (word: string): boolean => peek()?.toUpperCase() === word;

  const parseField = (token: string): JqlField => {
    if (token === 'project') return { kind: 'project' };
    if (token === 'labels') return { kind: 'labels' };
    const property = /^issue\.property\[([^\]]+)\]\.(.+)$/.exec(token);
    if (property?.[1] && property[2]) return { kind: 'property', key: property[1], path: property[2] };
    throw new UnsupportedJql(`unsupported JQL field "${token}" in: ${jql}`);
  };
  const parseClause = (): JqlNode => {
    if (peek() === '(') {
      next();
      const inner = parseOr();
      if (next() !== ')') throw new UnsupportedJql(`missing ")" in: ${jql}`);
      return inner;
    }
    const field = parseField(next());
    if (keyword('IS')) {
      next();
      if (next().toUpperCase() !== 'NOT' || next().toUpperCase() !== 'EMPTY') {
        throw new UnsupportedJql(`only "IS NOT EMPTY" is supported in: ${jql}`);
      }
      return { kind: 'notEmpty', field };
    }
    const operator = next();
    if (operator !== '=') throw new UnsupportedJql(`unsupported JQL operator "${operator}" in: ${jql}`);
    const raw = next();
    if (!raw.startsWith('"'))
      throw new UnsupportedJql(`values must be quoted strings, got ${raw} in: ${jql}`);
    return { kind: 'equals', field, value: JSON.parse(raw) as string };
  };
  const parseAnd = (): JqlNode => {
    let left = parseClause();
    while (keyword('AND')) {
      next();
      left = { kind: 'and', left, right: parseClause() };
    }
    return left;
  };
  const parseOr = (): JqlNode => {
    let left = parseAnd();
    while (keyword('OR')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };

  const where = parseOr();
  let orderBy: JqlQuery['orderBy'] = { field: 'key', direction: 'asc' };
  if (keyword('ORDER')) {
    next();
    if (next().toUpperCase() !== 'BY') throw new UnsupportedJql(`expected ORDER BY in: ${jql}`);
    const field = next();
    if (field !== 'key' && field !== 'created')
      throw new UnsupportedJql(`cannot order by ${field} in: ${jql}`);
    const direction = keyword('DESC') ? 'desc' : 'asc';
    if (keyword('ASC') || keyword('DESC')) next();
    orderBy = { field, direction };
  }
  if (at !== tokens.length) throw new UnsupportedJql(`unexpected "${tokens[at]}" in: ${jql}`);
  return { where, orderBy };
}

/** What a JQL condition can look at on an issue. */
export interface JqlSubject {
  readonly projectKey: string;
  readonly labels: readonly string[];
  readonly properties: ReadonlyMap<string, unknown>;
}

function propertyValue(subject: JqlSubject, key: string, path: string): unknown {
  let value: unknown = subject.properties.get(key);
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Whether an issue matches a parsed condition. */
export function matchesJql(node: JqlNode, subject: JqlSubject): boolean {
  switch (node.kind) {
    case 'and':
      return matchesJql(node.left, subject) && matchesJql(node.right, subject);
    case 'or':
      return matchesJql(node.left, subject) || matchesJql(node.right, subject);
    case 'notEmpty': {
      if (node.field.kind === 'labels') return subject.labels.length > 0;
      if (node.field.kind === 'property') {
        const value = propertyValue(subject, node.field.key, node.field.path);
        return value !== undefined && value !== null && value !== '';
      }
      return true;
    }
    case 'equals': {
      if (node.field.kind === 'project') return subject.projectKey === node.value;
      if (node.field.kind === 'labels') return subject.labels.includes(node.value);
      return String(propertyValue(subject, node.field.key, node.field.path)) === node.value;
    }
  }
}
