import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JIRA_SPEC_PATH } from '../testing/openapi-contract';

// Slow (the linter parses every source file and the 2.4 MB spec): 15 s per run on an idle machine, 40 s seen
// under load, so each test gets 4 minutes.
const SLOW = 240_000;
const pluginDir = fileURLToPath(new URL('../..', import.meta.url));

describe("@forge/lint's linters, offline against Jira's OpenAPI description", () => {
  const run = promisify(execFile);
  const lint = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      const { stdout } = await run(process.execPath, ['tools/forge-lint/lint-offline.mjs', ...args], {
        cwd: pluginDir,
        env: { ...process.env, LOCAL_JIRA_SWAGGER: JIRA_SPEC_PATH },
      });
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, out: failed.stdout };
    }
  };

  it(
    'report no missing scope for the app as it is',
    async () => {
      const { code, out } = await lint();
      expect(out).toMatch(/linted \d+ source files/);
      expect(out).toContain('no problems found');
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    'see every Jira call: without the Jira scopes each endpoint the app calls is reported',
    async () => {
      const { code, out } = await lint(
        '--drop-scope=write:jira-work',
        '--drop-scope=read:jira-work',
        '--drop-scope=manage:jira-configuration',
        '--drop-scope=read:jira-user',
      );
      expect(code).toBe(1);
      for (const endpoint of [
        'POST /rest/api/3/issue/bulk',
        'PUT /rest/api/3/issue/{issueIdOrKey}',
        'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
        'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
      ]) {
        expect(out).toContain(`Jira endpoint: ${endpoint} requires "write:jira-work" scope`);
      }
      expect(out).toContain('Jira endpoint: POST /rest/api/3/search/jql requires "read:jira-work" scope');
      expect(out).toContain(
        'Jira endpoint: GET /rest/api/3/project/{projectIdOrKey} requires "read:jira-work" scope',
      );
      expect(out).toContain('Jira endpoint: GET /rest/api/3/mypermissions requires "read:jira-work" scope');
      expect(out).toContain('Jira endpoint: GET /rest/api/3/myself requires "read:jira-user" scope');
      expect(out).not.toContain('/rest/api/3/search requires'); // never the deprecated search
      expect(out).toContain(
        'Jira endpoint: POST /rest/api/3/workflows requires "manage:jira-configuration" scope',
      );
      // No unused Jira scope: each one the manifest asks for is needed by some call …
      for (const scope of [
        'read:jira-work',
        'write:jira-work',
        'manage:jira-configuration',
        'read:jira-user',
      ]) {
        expect(out).toContain(`requires "${scope}" scope`);
      }
      // … and every call sits in the Jira client (src/rest-paths.test.ts keeps it that way).
      const callers = out.split('\n').filter((line) => line.includes('Jira endpoint:'));
      expect(callers.length).toBeGreaterThanOrEqual(9);
      expect(callers.filter((line) => !line.startsWith('error: src/jira-client/jira-client.ts:'))).toEqual(
        [],
      );
    },
    SLOW,
  );
});
