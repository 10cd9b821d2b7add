// Jira sync call counts (issue 6): pushing 20 department goals (epics) and 1,000 actions (child issues) through the
// real client and executor into the in-memory Jira that checks every request against Jira's OpenAPI description.
//   1. calls to push the plan, against one call per issue (the baseline: a create per epic and per action)
//   2. write calls of a re-sync of the unchanged plan (target 0), and its read calls
//   3. write calls to bring back 3 actions edited in Jira
// Writes bench/results/jira-sync.json. Run: npx tsx bench/jira-sync-calls.ts
import { type Action, applyJiraPulls, type JiraSyncConfig, type SyncWorkspace } from '@cxplan/core';
import { route } from '@forge/api';
import { JiraClient, type JiraRequester } from '../jira-plugin/src/jira-client/jira-client';
import { syncToJira } from '../jira-plugin/src/sync/sync-executor';
import { FakeJira } from '../jira-plugin/src/testing/fake-jira';
import { respondFromFake } from '../jira-plugin/src/testing/forge-mocks';
import { CYCLE_ID, FakeClock, planFixture } from '../jira-plugin/src/testing/plan-fixture';
import { type Figure, machineInfo, writeResult } from './lib/machine';

const GOALS = 20;
const ACTIONS_PER_GOAL = 50;
const config: JiraSyncConfig = {
  projectKey: 'CX',
  epicIssueTypeId: '10000',
  actionIssueTypeId: '10001',
  cycleId: CYCLE_ID,
};

const jira = new FakeJira();
const requester: JiraRequester = {
  requestJira: (path, init) => respondFromFake(jira, { route }, { kind: 'app' }, path, init),
};
const client = (): JiraClient => new JiraClient(requester, { clock: new FakeClock() });

interface Counted {
  reads: number;
  writes: number;
  ms: number;
}

async function counted(plan: SyncWorkspace): Promise<Counted & { plan: SyncWorkspace }> {
  const before = jira.calls.length;
  const started = performance.now();
  const report = await syncToJira(client(), plan, config);
  const ms = performance.now() - started;
  if (report.failures.length > 0) throw new Error(`sync failed: ${report.failures[0]?.message}`);
  const calls = jira.calls.slice(before);
  const writes = calls.filter(
    (c) => c.method !== 'GET' && c.operationId !== 'searchAndReconsileIssuesUsingJqlPost',
  ).length;
  return {
    reads: calls.length - writes,
    writes,
    ms,
    plan: applyJiraPulls(plan, report.pulls, new Date().toISOString()),
  };
}

const push = await counted(planFixture(GOALS, ACTIONS_PER_GOAL));
const issues = GOALS + GOALS * ACTIONS_PER_GOAL;
const bound = Math.ceil(GOALS / 50) + Math.ceil((GOALS * ACTIONS_PER_GOAL) / 50);
const resync = await counted(push.plan);

const keyOf = (a: Action | undefined): string => a?.jira?.issueKey ?? '';
jira.editSummary(keyOf(push.plan.actions[0]), 'Edited in Jira');
jira.moveToCategory(keyOf(push.plan.actions[500]), 'done');
jira.editSummary(keyOf(push.plan.actions[999]), 'Edited in Jira too');
const back = await counted(resync.plan);
const settled = await counted(back.plan);

const figures: Figure[] = [
  {
    what: `write calls to push ${GOALS} epics + ${GOALS * ACTIONS_PER_GOAL} actions`,
    value: push.writes,
    unit: 'calls',
    stat: 'count',
    target: `≤ ${bound} (⌈20/50⌉ + ⌈1000/50⌉) + small constant per epic`,
    met: push.writes <= bound,
    baseline: { what: 'one create call per issue', value: issues, unit: 'calls' },
    note: `plus ${push.reads} read call(s) (JQL search of the project); ${(push.ms / 1000).toFixed(2)} s in-process including OpenAPI validation of every request`,
  },
  {
    what: 'baseline ÷ bulk push (write calls)',
    value: issues / push.writes,
    unit: '×',
    stat: 'ratio',
  },
  {
    what: 'write calls of an unchanged re-sync',
    value: resync.writes,
    unit: 'calls',
    stat: 'count',
    target: '0',
    met: resync.writes === 0,
    note: `${resync.reads} read calls (pages of 100 issues via /rest/api/3/search/jql + nextPageToken)`,
  },
  {
    what: 'write calls to bring back 3 actions edited in Jira',
    value: back.writes,
    unit: 'calls',
    stat: 'count',
    note: `one property write per edited issue (the sync base); the sync after it writes ${settled.writes}`,
  },
];

const file = writeResult({
  benchmark: 'jira-sync',
  ranAt: new Date().toISOString(),
  machine: machineInfo(),
  runs: 1,
  figures,
});
for (const f of figures)
  console.log(
    `${f.what}: ${Number.isInteger(f.value) ? f.value : f.value.toFixed(1)} ${f.unit}${f.note ? ` — ${f.note}` : ''}`,
  );
console.log(`wrote ${file}`);
if (!figures.every((f) => f.met !== false)) process.exitCode = 1;
