import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The core must run anywhere (extension pages, service worker, Forge functions), so it imports no platform code
 * and touches no platform globals. Biome's import rule and the shared tsconfig (`types: []`, no DOM lib) catch
 * most slips; this test is the backstop that also catches type-only imports, `import()` calls and globals.
 */

/** Why a module may not be imported by the core, or undefined when it may. */
function bannedModule(spec: string): string | undefined {
  if (spec.startsWith('node:') || isBuiltin(spec)) return 'a Node built-in';
  const first = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
  if (first.startsWith('@forge/')) return 'Forge (belongs to jira-plugin)';
  if (['dexie', 'wxt', 'preact', 'webextension-polyfill'].includes(first)) return 'platform code';
  return undefined;
}

/** Browser and Node globals the core must not touch. */
const BANNED_GLOBALS = new Set([
  'window',
  'document',
  'chrome',
  'browser',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'navigator',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
]);

interface Violation {
  file: string;
  line: number;
  what: string;
}

/**
 * Finds platform imports and platform globals in the given sources. Uses the type checker so that a local
 * variable that happens to be called `document`, or a property `x.window`, is not mistaken for the global.
 */
function scan(files: ReadonlyMap<string, string>): Violation[] {
  const options: ts.CompilerOptions = {
    noEmit: true,
    lib: ['lib.es2023.d.ts'],
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, lang, ...rest)
      : ts.createSourceFile(name, text, lang, true);
  };
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const checker = program.getTypeChecker();
  const out: Violation[] = [];

  for (const sf of program.getSourceFiles()) {
    if (!files.has(sf.fileName)) continue;
    const report = (node: ts.Node, what: string): void => {
      out.push({
        file: sf.fileName,
        line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        what,
      });
    };
    const checkModule = (node: ts.Node, spec: ts.Expression | undefined): void => {
      if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
      const why = bannedModule(spec.text);
      if (why !== undefined) report(node, `imports "${spec.text}" (${why})`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
        checkModule(node, node.moduleSpecifier);
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        checkModule(node, node.moduleReference.expression);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        checkModule(node, node.arguments[0]);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        checkModule(node, node.argument.literal as ts.Expression);
      } else if (ts.isIdentifier(node) && BANNED_GLOBALS.has(node.text) && !isMemberName(node)) {
        // In `{ process }` the name is both a property and a reference; the reference is what matters.
        const symbol = ts.isShorthandPropertyAssignment(node.parent)
          ? checker.getShorthandAssignmentValueSymbol(node.parent)
          : checker.getSymbolAtLocation(node);
        const declaredHere =
          symbol?.declarations?.some((d) => files.has(d.getSourceFile().fileName)) ?? false;
        if (!declaredHere) report(node, `uses the global "${node.text}"`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** `x.window`, `{ window: 1 }`, `type T = { document: … }`: a member's name, not a reference to a global. */
function isMemberName(node: ts.Identifier): boolean {
  const p = node.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === node) ||
    (ts.isQualifiedName(p) && p.right === node) ||
    ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === node) ||
    ((ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p)) &&
      p.name === node)
  );
}

const SRC = path.dirname(fileURLToPath(import.meta.url));

function coreSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return coreSources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('the core is pure', () => {
  it('no source file in shared/src imports platform code or touches platform globals', () => {
    const files = new Map(coreSources(SRC).map((f) => [f, readFileSync(f, 'utf8')] as const));
    // Guard against scanning nothing (a wrong path would make this test pass vacuously).
    expect(files.size).toBeGreaterThan(20);
    expect(scan(files).map((v) => `${path.relative(SRC, v.file)}:${v.line} ${v.what}`)).toEqual([]);
  });

  it('catches every kind of slip in a fixture (so the check can fail)', () => {
    const bad = [
      "import Dexie from 'dexie';",
      "import type { Browser } from 'wxt/browser';",
      "import { h } from 'preact';",
      "import api from '@forge/api';",
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "export { x } from 'webextension-polyfill';",
      "const lazy = () => import('dexie');",
      "type T = import('node:crypto').Hash;",
      'export const a = window.location.href;',
      'export const b = document.title;',
      'export const c = chrome.runtime.id;',
      'export const d = browser;',
      "export const e = localStorage.getItem('k');",
      "export const f = indexedDB.open('x');",
      'export const g = process.env.HOME;',
      "export const h2 = Buffer.from('x');",
      "export const i = require('fs');",
      'export const j = { process };',
    ].join('\n');
    const found = scan(new Map([['/fixture/bad.ts', bad]])).map((v) => `${v.line} ${v.what}`);
    expect(found).toEqual([
      '1 imports "dexie" (platform code)',
      '2 imports "wxt/browser" (platform code)',
      '3 imports "preact" (platform code)',
      '4 imports "@forge/api" (Forge (belongs to jira-plugin))',
      '5 imports "node:fs" (a Node built-in)',
      '6 imports "path" (a Node built-in)',
      '7 imports "webextension-polyfill" (platform code)',
      '8 imports "dexie" (platform code)',
      '9 imports "node:crypto" (a Node built-in)',
      '10 uses the global "window"',
      '11 uses the global "document"',
      '12 uses the global "chrome"',
      '13 uses the global "browser"',
      '14 uses the global "localStorage"',
      '15 uses the global "indexedDB"',
      '16 uses the global "process"',
      '17 uses the global "Buffer"',
      '18 uses the global "require"',
      '19 uses the global "process"',
    ]);
  });

  it('does not mistake local names and member names for globals', () => {
    const clean = [
      "import * as v from 'valibot';",
      "import { process as run } from './steps';",
      'export function f(document: string, o: { window: number }): number {',
      '  const process = 1;',
      '  const { browser } = { browser: 2 };',
      '  return document.length + o.window + process + browser;',
      '}',
      'export interface Env { localStorage: string; chrome(): void }',
      'export const s = v.string();',
    ].join('\n');
    expect(scan(new Map([['/fixture/clean.ts', clean]]))).toEqual([]);
  });
});
