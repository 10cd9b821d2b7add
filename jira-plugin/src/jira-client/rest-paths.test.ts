import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Style rule: the Jira client (`src/jira-client.ts`) and the fake Jira (`src/testing/`) are the only places that
 * know REST paths. Everything else calls a typed client method, so scopes, retries and error messages live once.
 */
const SRC = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED = new Set(['jira-client/jira-client.ts']);

/** Product fetches of `@forge/api` that take a REST path. */
const REQUEST_METHODS = new Set(['requestJira', 'requestConfluence', 'requestBitbucket', 'requestGraph']);
/** `@forge/api`'s route builders. */
const ROUTE_TAGS = new Set(['route', 'assumeTrustedRoute']);

/** What the scan found: where, and the code that knows a REST path. */
interface Finding {
  readonly line: number;
  readonly text: string;
}

/** Finds REST knowledge in code (comments do not count): `/rest/…` in any literal, `route` tags, `requestJira(…)`. */
function restPathsIn(fileName: string, source: string): Finding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const report = (node: ts.Node): void => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    findings.push({ line: line + 1, text: node.getText(file).split('\n')[0] ?? '' });
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) &&
      /\/rest\/|\/wiki\/rest\//.test(node.text)
    ) {
      report(node);
    } else if (ts.isTaggedTemplateExpression(node) && ROUTE_TAGS.has(calleeName(node.tag) ?? '')) {
      report(node);
      return;
    } else if (ts.isCallExpression(node) && REQUEST_METHODS.has(calleeName(node.expression) ?? '')) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/** App source files: not tests, not test support (`testing/` folders). */
function appSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : appSources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('REST paths live only in the Jira client', () => {
  const files = appSources(SRC);

  it('finds no REST path, route or requestJira call in app code outside the client', () => {
    const outside = files
      .filter((path) => !ALLOWED.has(relative(SRC, path)))
      .flatMap((path) =>
        restPathsIn(path, readFileSync(path, 'utf8')).map(
          (f) => `${relative(SRC, path)}:${f.line}: ${f.text}`,
        ),
      );
    expect(outside).toEqual([]);
  });

  it('sees the routes of the client itself (the scan is not blind)', () => {
    const client = files.find((path) => relative(SRC, path) === 'jira-client/jira-client.ts');
    expect(client).toBeDefined();
    const found = restPathsIn('jira-client.ts', readFileSync(client ?? '', 'utf8'));
    expect(found.filter((f) => f.text.startsWith('route`')).length).toBeGreaterThanOrEqual(9);
  });

  it('flags each way code can know a path, and ignores comments', () => {
    const sample = [
      '// GET /rest/api/3/issue/{key} is described here only',
      "import { route } from '@forge/api';",
      'const a = route`/rest/api/3/workflows`;',
      "const b = api.asApp().requestJira(path, { method: 'POST' });",
      "const c = '/rest/api/3/issue/' + key;",
      // A template with a substitution (built by concatenation so this line is not one itself).
      'const d = `$' + '{base}/rest/agile/1.0/board`;',
    ].join('\n');
    expect(restPathsIn('sample.ts', sample).map((f) => f.line)).toEqual([3, 4, 5, 6]);
  });
});
