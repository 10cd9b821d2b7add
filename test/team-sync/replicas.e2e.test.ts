import type { Action, DeptGoal, OrgGoal } from '@cxplan/core';
import { sql } from '@forge/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleClip } from '../../extension/src/storage/test-fixtures';
import { teamStatus } from '../../extension/src/team-sync/sync-status';
import { readStates } from '../../jira-plugin/src/team-store/entity-rows';
import { putOp } from '../../jira-plugin/src/testing/team-fixture';
import { Browser, TeamSite } from './team-harness';

/**
 * Three people's browsers as replicas of one team workspace, through the real extension code (storage service,
 * replica, device signing, transport) and the real Jira-app side (endpoint, merge, rights, SQL on MariaDB). Only the
 * network is in process and IndexedDB is fake-indexeddb; the real-Chromium version is test/team-sync/*.browser.test.ts.
 */
describe('team replicas: staff, a department head and a leader', () => {
  let site: TeamSite;
  let sam: Browser;
  let dan: Browser;
  let lee: Browser;
  const metric = {
    name: 'First-contact resolution',
    unit: '%',
    direction: 'increase' as const,
    baseline: 60,
    target: 75,
    due: '2027-06-30',
    readings: [],
  };

  beforeAll(async () => {
    site = await TeamSite.start();
    sam = new Browser(site, 'sam-laptop');
    dan = new Browser(site, 'dan-laptop');
    lee = new Browser(site, 'lee-laptop');
    for (const [browser, person] of [
      [sam, 'sam'],
      [dan, 'dan'],
      [lee, 'lee'],
    ] as const) {
      await browser.connect(person);
      await browser.sync();
    }
  });
  afterAll(() => site.close());

  it('a clip captured offline waits, is sent once online, and reaches the leader with its capturer', async () => {
    site.online = false;
    await sam.storage.addCapture({
      ...sampleClip(1),
      origin: { ...sampleClip(1).origin, capturedBy: 'whatever the browser says' },
    });
    const offline = await sam.sync();
    expect(offline.error).toMatch(/could not be reached/);
    expect((await teamStatus(sam.db)) as { waiting: number }).toMatchObject({ waiting: 1 });
    site.online = true;
    await sam.sync();
    expect((await teamStatus(sam.db)) as { waiting: number }).toMatchObject({ waiting: 0 });
    await lee.sync();
    const seen = await lee.storage.getEvidence('clip-1');
    expect(seen?.text).toBe(sampleClip(1).text);
    expect(seen?.origin).toMatchObject({ capturedBy: 'Sam Staff', capturedById: 'sam' });
  });

  it("the leader cites a colleague's clip in an organisation goal; it reaches everyone", async () => {
    await lee.storage.put('cycles', {
      id: 'c2027',
      name: '2027',
      start: '2027-01-01',
      end: '2027-12-31',
      status: 'active',
    });
    const goal: OrgGoal = {
      id: 'og1',
      cycleId: 'c2027',
      title: 'One call solves it',
      metric,
      evidenceIds: ['clip-1'],
      eventIds: [],
      weight: 1,
    };
    await lee.storage.put('orgGoals', goal);
    const pushed = await lee.sync();
    expect(pushed.notices).toBe(0);
    await sam.sync();
    expect((await sam.storage.get('orgGoals', 'og1'))?.evidenceIds).toEqual(['clip-1']);
  });

  it("staff editing the organisation goal is refused with a clear message; their replica shows the team's goal; nothing else is lost", async () => {
    await sam.storage.put('orgGoals', {
      ...(await sam.storage.get('orgGoals', 'og1')),
      title: 'Sam rewrote it',
    });
    await sam.storage.addCapture(sampleClip(2));
    await sam.sync();
    const status = (await teamStatus(sam.db)) as Extract<
      Awaited<ReturnType<typeof teamStatus>>,
      { connected: true }
    >;
    expect(status.notices.map((n) => [n.outcome, n.message])).toEqual([
      ['refused', expect.stringMatching(/Only a leader may set or change an organisation goal/)],
    ]);
    expect(status.notices[0]?.yours).toEqual({ title: 'Sam rewrote it' });
    expect((await sam.storage.get('orgGoals', 'og1'))?.title).toBe('One call solves it');
    await lee.sync();
    expect(await lee.storage.getEvidence('clip-2')).toBeDefined();
    expect((await lee.storage.get('orgGoals', 'og1'))?.title).toBe('One call solves it');
  });

  it("the head's department goal and actions reach the leader", async () => {
    const goal: DeptGoal = {
      id: 'dg1',
      cycleId: 'c2027',
      departmentId: 'support',
      title: 'Solve it on the first call',
      orgGoalId: 'og1',
      businessObjectiveId: 'bo1',
      metric,
      weight: 1,
      progressSource: 'metric',
      ownerId: 'dan',
      verification: { status: 'draft' },
      verificationHistory: [],
    };
    await dan.storage.put('deptGoals', goal);
    const action: Action = {
      id: 'a1',
      cycleId: 'c2027',
      deptGoalId: 'dg1',
      title: 'Train the desk',
      ownerId: 'sam',
      due: '2027-02-28',
      status: 'todo',
      weight: 1,
      evidenceIds: ['clip-1'],
      eventIds: [],
      touchpointIds: [],
    };
    await dan.storage.put('actions', action);
    await dan.sync();
    await lee.sync();
    expect((await lee.storage.get('deptGoals', 'dg1'))?.title).toBe('Solve it on the first call');
    expect((await lee.storage.get('actions', 'a1'))?.deptGoalId).toBe('dg1');
  });

  it('an edit made in Jira is never undone by a replica that had not seen it', async () => {
    // Dan changes the action's status locally but has not synced; meanwhile someone moves the issue in Jira.
    await dan.storage.put('actions', { ...(await dan.storage.get('actions', 'a1')), status: 'done' });
    const [stored] = [...(await readStates(sql, 'actions', ['a1'])).values()];
    await site.jiraEdit('lee', [putOp('actions', 'a1', stored?.version ?? 0, { status: 'in-progress' })]);
    await dan.sync();
    expect((await readStates(sql, 'actions', ['a1'])).get('a1')?.body.status).toBe('in-progress');
    expect((await dan.storage.get('actions', 'a1'))?.status).toBe('in-progress');
    const status = (await teamStatus(dan.db)) as Extract<
      Awaited<ReturnType<typeof teamStatus>>,
      { connected: true }
    >;
    expect(status.notices.at(0)).toMatchObject({
      outcome: 'superseded',
      message: expect.stringMatching(/status.*Lee Leader changed it after you last saw it/),
    });
  });

  it('two people editing the same action at once both see the outcome', async () => {
    await sam.sync();
    await dan.sync();
    await sam.storage.put('actions', { ...(await sam.storage.get('actions', 'a1')), status: 'done' });
    await dan.storage.put('actions', {
      ...(await dan.storage.get('actions', 'a1')),
      status: 'dropped',
      title: 'Train the whole desk',
    });
    await sam.sync(); // Sam (the owner) moves the status first …
    await dan.sync(); // … so Dan's status loses, his title is kept, and he is told.
    await sam.sync();
    const danStatus = (await teamStatus(dan.db)) as Extract<
      Awaited<ReturnType<typeof teamStatus>>,
      { connected: true }
    >;
    expect(danStatus.notices.at(0)).toMatchObject({ outcome: 'partly-applied' });
    for (const b of [sam, dan])
      expect(await b.storage.get('actions', 'a1')).toMatchObject({
        status: 'done',
        title: 'Train the whole desk',
      });
  });

  it('a revoked device is refused at once; its waiting changes are kept', async () => {
    const status = (await teamStatus(sam.db)) as Extract<
      Awaited<ReturnType<typeof teamStatus>>,
      { connected: true }
    >;
    const { revokeDevice } = await import('../../jira-plugin/src/team-store/devices');
    await revokeDevice({ sql, kv: site.kv, now: Date.now }, status.connection.deviceId, {
      personId: 'lee',
      admin: true,
    });
    await sam.storage.addCapture(sampleClip(3));
    const report = await sam.sync();
    expect(report.skipped).toBe('broken');
    const after = (await teamStatus(sam.db)) as Extract<
      Awaited<ReturnType<typeof teamStatus>>,
      { connected: true }
    >;
    expect(after.connection.broken?.message).toMatch(/connection was removed/);
    expect(after.waiting).toBe(1);
  });
});

describe('connecting a browser that already holds a workspace', () => {
  it('uploads it once after the person confirms; nothing is lost or duplicated', async () => {
    const site = await TeamSite.start();
    try {
      const alone = new Browser(site, 'alone');
      for (let i = 0; i < 30; i++) await alone.storage.addCapture(sampleClip(i));
      await alone.storage.put('cycles', {
        id: 'c-own',
        name: 'Own cycle',
        start: '2027-01-01',
        end: '2027-12-31',
        status: 'planning',
      });
      await alone.connect('lee');
      await alone.sync();
      await alone.sync();
      const other = new Browser(site, 'other');
      await other.connect('sam');
      await other.sync();
      expect(await other.storage.countEvidence()).toBe(30);
      expect((await other.storage.list('cycles')).map((c) => c.id)).toEqual(['c-own']);
      expect(site.requests).toBeGreaterThan(0);
    } finally {
      await site.close();
    }
  });
});
