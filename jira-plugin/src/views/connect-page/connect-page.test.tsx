import type { ReactElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamResolver } from '../../resolvers/connect-resolver';
import { readDevice } from '../../team-store/devices';
import { createTeamEndpoint } from '../../team-store/team-endpoint';
import { TestDevice } from '../../testing/device-client';
import { seedOrganisation, type TeamFixture, teamFixture } from '../../testing/team-fixture';
import {
  findAll,
  findByText,
  fire,
  installBridge,
  renderForge,
  setBridgeHost,
  textOf,
  tree,
  waitForText,
} from '../testing/forge-render';

installBridge();

const TRIGGER_URL = 'https://0a1b2c3d.hello.atlassian-dev.net/x1/team-trigger-id';

// Each render gets a fresh key: the test reconciler keeps one root, and a page load in Jira mounts the page anew.
let ConnectPage: (props: { key?: string }) => ReactElement;
beforeAll(async () => {
  ({ ConnectPage } = await import('./connect-page'));
});

describe('"Connect a browser" (rendered through @forge/react, resolver over the team store on MariaDB)', () => {
  let team: TeamFixture;
  const asPerson = (accountId: string) =>
    setBridgeHost({
      resolver: teamResolver(() => ({
        sql: team.sql,
        kv: team.kv,
        now: Date.now,
        triggerUrl: async () => TRIGGER_URL,
      })).getDefinitions() as never,
      context: {},
      accountId,
    });
  beforeEach(async () => {
    team = await teamFixture();
    await seedOrganisation(team);
  });
  afterEach(() => team.close());

  it('makes a code for the signed-in person; the pasted line pairs a browser as them; they can disconnect it', async () => {
    asPerson('sam');
    await renderForge(<ConnectPage key="render-1" />);
    await waitForText((t) => t.includes('Connecting as Sam Staff'));
    await fire(findByText('Button', 'Make a connection code'), 'onClick');
    await waitForText((t) => t.includes('Paste this line'));
    const message = findAll('SectionMessage')[0];
    if (!message) throw new Error('no code shown');
    const line = textOf(findAll('Code', () => true, message)[0] ?? message);
    expect(line).toMatch(new RegExp(`^${TRIGGER_URL.replace(/[.]/g, '\\.')}#[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$`));

    // The extension pastes the line: the code after '#' pairs a new browser as Sam.
    const device = await TestDevice.create();
    const endpoint = createTeamEndpoint({ sql: team.sql, kv: team.kv });
    const res = await endpoint(
      await device.pairRequest(line.split('#')[1] as string, 'Chromium on Sam’s laptop'),
    );
    const paired = JSON.parse(res.body ?? '{}') as { deviceId: string; member: { personId: string } };
    expect(paired.member.personId).toBe('sam');

    await renderForge(<ConnectPage key="render-2" />);
    await waitForText((t) => t.includes('Sam’s laptop'));
    const table = findAll('DynamicTable')[0];
    if (!table) throw new Error('no table');
    expect(textOf(table)).toContain('Chromium on Sam’s laptop');
    await fire(findByText('Button', 'Disconnect'), 'onClick');
    await waitForText((t) => t.includes('Disconnected'));
    expect((await readDevice(team, paired.deviceId))?.revokedAt).toEqual(expect.any(String));
    expect(textOf(findAll('DynamicTable')[0] ?? tree())).toContain('Disconnected');
  });

  it('shows an admin everyone’s browsers, staff only their own', async () => {
    for (const who of ['sam', 'dan']) {
      const device = await TestDevice.create();
      asPerson(who);
      await renderForge(<ConnectPage key={`loop-${who}`} />);
      await waitForText((t) => t.includes('Connecting as'));
      await fire(findByText('Button', 'Make a connection code'), 'onClick');
      await waitForText((t) => t.includes('Paste this line'));
      const line = textOf(findAll('Code')[0] ?? tree());
      const r = await createTeamEndpoint({ sql: team.sql, kv: team.kv })(
        await device.pairRequest(line.split('#')[1] as string, `${who}'s browser`),
      );
      expect(r.statusCode, `${line} ${r.body}`).toBe(200);
    }
    asPerson('lee');
    await renderForge(<ConnectPage key="render-4" />);
    await waitForText(
      (t) => t.includes("Everyone's browsers") && t.includes("sam's browser") && t.includes("dan's browser"),
    );
    asPerson('sam');
    await renderForge(<ConnectPage key="render-5" />);
    await waitForText((t) => t.includes("sam's browser"));
    const mine = textOf(findAll('DynamicTable')[0] ?? tree());
    expect(mine).toContain("sam's browser");
    expect(mine).not.toContain("dan's browser");
  });
});
