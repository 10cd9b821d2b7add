import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { sql } from '@forge/sql';
import { CxplanDb } from '../../extension/src/storage/db';
import { StorageService } from '../../extension/src/storage/storage-service';
import { type ReplicaDeps, type SyncReport, syncWithTeam } from '../../extension/src/team-sync/replica';
import { transportFor } from '../../extension/src/team-sync/sync-scheduler';
import { connectBrowser, resolveUpload } from '../../extension/src/team-sync/team-connect';
import { createPairingCode } from '../../jira-plugin/src/team-store/devices';
import { applyOps } from '../../jira-plugin/src/team-store/push';
import { ensureSchema } from '../../jira-plugin/src/team-store/setup';
import { createTeamEndpoint } from '../../jira-plugin/src/team-store/team-endpoint';
import { type ForgeSqlInstallation, installForgeSql } from '../../jira-plugin/src/testing/forge-sql-mariadb';
import { MemoryKvs } from '../../jira-plugin/src/testing/memory-kvs';
import { createOp, TEAM_DEPARTMENTS, TEAM_PEOPLE } from '../../jira-plugin/src/testing/team-fixture';

/** The address the team endpoint answers at in these tests (requests never leave the process). */
export const TEAM_URL = 'https://team.test.example/x1/cxplan-team';

/**
 * One Jira installation's team store (a fresh database on the run's MariaDB, an in-memory KVS) and its team
 * endpoint, reachable by a `fetch` that hands requests to the endpoint in process: the extension's real transport,
 * signing and replica talk to the real endpoint, merge and SQL. `online` switches the network off and on.
 */
export class TeamSite {
  readonly kv = new MemoryKvs();
  online = true;
  requests = 0;
  private endpoint = createTeamEndpoint({ sql, kv: this.kv, workspaceName: async () => 'Acme CX' });

  private constructor(readonly db: ForgeSqlInstallation) {}

  static async start(): Promise<TeamSite> {
    const site = new TeamSite(await installForgeSql());
    await ensureSchema({ sql, kv: site.kv });
    await applyOps(
      { sql, kv: site.kv, now: Date.now, newId: randomUUID },
      'lee',
      [
        // The organisation every team test starts with (as the admin page would have saved it).
        ...TEAM_DEPARTMENTS.map((d) => createOp('departments', { ...d })),
        ...TEAM_PEOPLE.map((p) => createOp('people', { ...p })),
      ],
      { trusted: true },
    );
    return site;
  }

  /** The `fetch` a browser uses to reach the site. */
  readonly fetch: typeof fetch = async (input, init) => {
    if (!this.online) throw new TypeError('Failed to fetch');
    this.requests++;
    const headers: Record<string, string[]> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = [value];
    });
    const res = await this.endpoint({
      method: (init?.method ?? 'GET') as 'POST',
      headers,
      body: String(init?.body ?? ''),
    });
    const out = new Headers();
    for (const [k, values] of Object.entries(res.headers ?? {}))
      for (const value of values) out.append(k, value);
    void input;
    return new Response(res.body ?? '', { status: res.statusCode, headers: out });
  };

  /** A connection line made in Jira by this person (what "Connect a browser" shows). */
  async connectionLine(personId: string): Promise<string> {
    const made = await createPairingCode({ sql, kv: this.kv, now: Date.now }, personId);
    if (!('code' in made)) throw new Error(made.refused);
    return `${TEAM_URL}#${made.code}`;
  }

  /** Applies operations as the Jira side would (an edit made in Jira: trusted, by the Jira user). */
  jiraEdit(personId: string, ops: Parameters<typeof applyOps>[2]): ReturnType<typeof applyOps> {
    return applyOps({ sql, kv: this.kv, now: Date.now, newId: randomUUID }, personId, ops, { trusted: true });
  }

  /** The Jira app's own writes (a workflow post function recording a verification): system operations. */
  appWrite(personId: string, ops: Parameters<typeof applyOps>[2]): ReturnType<typeof applyOps> {
    return applyOps({ sql, kv: this.kv, now: Date.now, newId: randomUUID }, personId, ops, { system: true });
  }

  close(): Promise<void> {
    return this.db.uninstall();
  }
}

/** One person's browser: its own IndexedDB, storage service and replica, reaching the site through its fetch. */
export class Browser {
  readonly db: CxplanDb;
  readonly storage: StorageService;
  readonly replica: ReplicaDeps;

  constructor(
    readonly site: TeamSite,
    readonly name: string,
  ) {
    this.db = new CxplanDb(`${name}-${randomUUID()}`);
    this.storage = new StorageService(this.db);
    this.replica = { db: this.db, transport: transportFor(this.db, site.fetch) };
  }

  /** Connects as a person with a fresh line from Jira; uploads what this browser holds when asked to. */
  async connect(personId: string, upload = true): Promise<void> {
    const outcome = await connectBrowser(
      { db: this.db, fetch: this.site.fetch },
      { line: await this.site.connectionLine(personId), deviceName: this.name },
    );
    if (!outcome.ok) throw new Error(outcome.errors[0]?.message);
    if (outcome.connection.phase === 'confirm-upload')
      await resolveUpload(this.db, upload, randomUUID, Date.now());
  }

  sync(): Promise<SyncReport> {
    return syncWithTeam(this.replica);
  }
}
