/**
 * A small interpreter for the subset of the Jira expression language that cxplan emits into its manifest
 * (workflow condition and validators). It exists so tests can evaluate the *exact* manifest strings against the
 * core's golden "who may verify" cases, and so the fake Jira can enforce them the way Jira does. It is strict
 * like Jira: `&&`, `||`, `!` and `?:` need booleans, reading a member of `null` is an error, and a JSON object's
 * missing key reads as `null`.
 *
 * Supported: `let x = e;` declarations, string/number/boolean/null literals, identifiers, `.member`, `[index]`,
 * `!`, unary `-`, `+ -`, `< <= > >=`, `== !=`, `&& ||`, `c ? a : b` and parentheses.
 */

/** A value of the subset: JSON-like data. */
export type JiraValue =
  | null
  | boolean
  | number
  | string
  | readonly JiraValue[]
  | { readonly [k: string]: JiraValue };

/** The expression failed to parse or evaluate; Jira treats that as "condition false / validator failed". */
export class JiraExpressionError extends Error {
  override readonly name = 'JiraExpressionError';
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'id'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '?',
  ':',
  '.',
  '[',
  ']',
  '(',
  ')',
  ';',
  '=',
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i));
      const text = m?.[0] ?? ch;
      tokens.push({ kind: 'num', value: Number(text), at: i });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i));
      const text = m?.[0] ?? ch;
      tokens.push({ kind: 'id', value: text, at: i });
      i += text.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source.charAt(j) !== ch) {
        if (source.charAt(j) === '\\') {
          const next = source.charAt(j + 1);
          value += next === 'n' ? '\n' : next;
          j += 2;
        } else {
          value += source.charAt(j);
          j += 1;
        }
      }
      if (j >= source.length) throw new JiraExpressionError(`unterminated string starting at ${i}`);
      tokens.push({ kind: 'str', value, at: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw new JiraExpressionError(`unexpected character '${ch}' at ${i}`);
    tokens.push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

/** A parsed expression node. */
export type JiraExpressionNode =
  | { type: 'literal'; value: JiraValue }
  | { type: 'name'; name: string }
  | { type: 'member'; object: JiraExpressionNode; property: string }
  | { type: 'index'; object: JiraExpressionNode; index: JiraExpressionNode }
  | { type: 'unary'; op: '!' | '-'; operand: JiraExpressionNode }
  | { type: 'binary'; op: string; left: JiraExpressionNode; right: JiraExpressionNode }
  | { type: 'conditional'; test: JiraExpressionNode; then: JiraExpressionNode; else: JiraExpressionNode }
  | { type: 'let'; name: string; value: JiraExpressionNode; body: JiraExpressionNode };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { kind: 'end', at: -1 };
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) throw new JiraExpressionError(`expected '${value}' at ${this.peek().at}`);
    this.pos += 1;
  }

  program(): JiraExpressionNode {
    const t = this.peek();
    if (t.kind === 'id' && t.value === 'let') {
      this.pos += 1;
      const name = this.peek();
      if (name.kind !== 'id') throw new JiraExpressionError(`expected a name after let at ${name.at}`);
      this.pos += 1;
      this.expectOp('=');
      const value = this.ternary();
      this.expectOp(';');
      return { type: 'let', name: name.value, value, body: this.program() };
    }
    const body = this.ternary();
    if (this.peek().kind !== 'end') throw new JiraExpressionError(`unexpected token at ${this.peek().at}`);
    return body;
  }

  private ternary(): JiraExpressionNode {
    const test = this.binary(0);
    if (!this.isOp('?')) return test;
    this.pos += 1;
    const then = this.ternary();
    this.expectOp(':');
    return { type: 'conditional', test, then, else: this.ternary() };
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<', '<=', '>', '>='],
    ['+', '-'],
  ];

  private binary(level: number): JiraExpressionNode {
    const ops = Parser.LEVELS[level];
    if (ops === undefined) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.value)) return left;
      this.pos += 1;
      left = { type: 'binary', op: t.value, left, right: this.binary(level + 1) };
    }
  }

  private unary(): JiraExpressionNode {
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.peek() as { value: '!' | '-' }).value;
      this.pos += 1;
      return { type: 'unary', op, operand: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): JiraExpressionNode {
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.pos += 1;
        const name = this.peek();
        if (name.kind !== 'id') throw new JiraExpressionError(`expected a member name at ${name.at}`);
        this.pos += 1;
        node = { type: 'member', object: node, property: name.value };
      } else if (this.isOp('[')) {
        this.pos += 1;
        const index = this.ternary();
        this.expectOp(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): JiraExpressionNode {
    const t = this.peek();
    this.pos += 1;
    if (t.kind === 'num' || t.kind === 'str') return { type: 'literal', value: t.value };
    if (t.kind === 'id') {
      if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true' };
      if (t.value === 'null') return { type: 'literal', value: null };
      return { type: 'name', name: t.value };
    }
    if (t.kind === 'op' && t.value === '(') {
      const inner = this.ternary();
      this.expectOp(')');
      return inner;
    }
    throw new JiraExpressionError(
      `unexpected ${t.kind === 'end' ? 'end of expression' : 'token'} at ${t.at}`,
    );
  }
}

/** Parses an expression of the supported subset; throws {@link JiraExpressionError} naming the position. */
export function parseJiraExpression(source: string): JiraExpressionNode {
  return new Parser(tokenize(source)).program();
}

function isRecord(value: JiraValue): value is { readonly [k: string]: JiraValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asBoolean(value: JiraValue, what: string): boolean {
  if (typeof value !== 'boolean')
    throw new JiraExpressionError(`${what} needs a boolean, got ${JSON.stringify(value)}`);
  return value;
}

function describe(node: JiraExpressionNode): string {
  if (node.type === 'name') return node.name;
  if (node.type === 'member') return `${describe(node.object)}.${node.property}`;
  if (node.type === 'index') return `${describe(node.object)}[…]`;
  return 'value';
}

function evaluateNode(node: JiraExpressionNode, scope: ReadonlyMap<string, JiraValue>): JiraValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name': {
      if (!scope.has(node.name)) throw new JiraExpressionError(`unknown variable '${node.name}'`);
      return scope.get(node.name) ?? null;
    }
    case 'member': {
      const object = evaluateNode(node.object, scope);
      if (object === null)
        throw new JiraExpressionError(`cannot read '${node.property}' of null (${describe(node.object)})`);
      if (Array.isArray(object)) {
        if (node.property === 'length') return object.length;
        throw new JiraExpressionError(`lists have no member '${node.property}'`);
      }
      if (typeof object === 'string' && node.property === 'length') return object.length;
      if (!isRecord(object))
        throw new JiraExpressionError(`cannot read '${node.property}' of ${typeof object}`);
      return object[node.property] ?? null;
    }
    case 'index': {
      const object = evaluateNode(node.object, scope);
      const index = evaluateNode(node.index, scope);
      if (object === null) throw new JiraExpressionError(`cannot index null (${describe(node.object)})`);
      if (Array.isArray(object)) {
        if (typeof index !== 'number') throw new JiraExpressionError('a list index must be a number');
        const item = object[index];
        if (item === undefined) throw new JiraExpressionError(`list index ${index} is out of range`);
        return item;
      }
      if (!isRecord(object) || typeof index !== 'string')
        throw new JiraExpressionError('cannot index this value');
      return object[index] ?? null;
    }
    case 'unary': {
      const value = evaluateNode(node.operand, scope);
      if (node.op === '!') return !asBoolean(value, '!');
      if (typeof value !== 'number') throw new JiraExpressionError('unary - needs a number');
      return -value;
    }
    case 'binary': {
      if (node.op === '&&')
        return (
          asBoolean(evaluateNode(node.left, scope), '&&') && asBoolean(evaluateNode(node.right, scope), '&&')
        );
      if (node.op === '||')
        return (
          asBoolean(evaluateNode(node.left, scope), '||') || asBoolean(evaluateNode(node.right, scope), '||')
        );
      const left = evaluateNode(node.left, scope);
      const right = evaluateNode(node.right, scope);
      if (node.op === '==') return left === right;
      if (node.op === '!=') return left !== right;
      if (node.op === '+') {
        if (typeof left === 'string' || typeof right === 'string') return `${String(left)}${String(right)}`;
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        throw new JiraExpressionError('+ needs numbers or a string');
      }
      if (typeof left !== 'number' || typeof right !== 'number')
        throw new JiraExpressionError(`${node.op} needs numbers`);
      if (node.op === '-') return left - right;
      if (node.op === '<') return left < right;
      if (node.op === '<=') return left <= right;
      if (node.op === '>') return left > right;
      return left >= right;
    }
    case 'conditional':
      return asBoolean(evaluateNode(node.test, scope), '?:')
        ? evaluateNode(node.then, scope)
        : evaluateNode(node.else, scope);
    case 'let': {
      const next = new Map(scope);
      next.set(node.name, evaluateNode(node.value, scope));
      return evaluateNode(node.body, next);
    }
  }
}

/** Evaluates an expression of the subset with the given context variables (e.g. `user`, `issue`). */
export function evaluateJiraExpression(
  source: string,
  context: Readonly<Record<string, JiraValue>>,
): JiraValue {
  return evaluateNode(parseJiraExpression(source), new Map(Object.entries(context)));
}

/**
 * The number of leaves of an expression's syntax tree (literals, variable names, member names, declared names):
 * what Jira counts against its limit of syntactic elements.
 */
export function syntaxLeaves(source: string): number {
  const count = (node: JiraExpressionNode): number => {
    switch (node.type) {
      case 'literal':
      case 'name':
        return 1;
      case 'member':
        return count(node.object) + 1;
      case 'index':
        return count(node.object) + count(node.index);
      case 'unary':
        return count(node.operand);
      case 'binary':
        return count(node.left) + count(node.right);
      case 'conditional':
        return count(node.test) + count(node.then) + count(node.else);
      case 'let':
        return 1 + count(node.value) + count(node.body);
    }
  };
  return count(parseJiraExpression(source));
}
