import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../harness/read-body';
import { TeamSite } from './team-harness';

/** One request the server saw, for assertions. */
export interface LoggedRequest {
  at: number;
  status: number;
  type: string | undefined;
  /** Set when the request was answered by an injected fault, not by the endpoint. */
  injected?: 'drop' | 'status';
}

/**
 * The real team endpoint (the function the `cxplan-team` web trigger exports) over a real team store on MariaDB,
 * served over HTTP on 127.0.0.1 so real browsers reach it as they reach Forge, with faults on demand.
 */
export interface TeamServer {
  site: TeamSite;
  /** The web trigger's URL as the "Connect a browser" page shows it. */
  url: string;
  log: LoggedRequest[];
  /** A line to paste into the extension, made in Jira by this person. */
  connectionLine(personId: string): Promise<string>;
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

/** Starts a team server with a fresh team store (organisation: Lee the leader and admin, Dan the head, Sam staff). */
export async function startTeamServer(): Promise<TeamServer> {
  const site = await TeamSite.start();
  const log: LoggedRequest[] = [];
  let offline = false;
  const server: Server = createServer(async (req, res) => {
    if (offline) {
      log.push({ at: Date.now(), status: 0, type: undefined, injected: 'drop' });
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headersDistinct))
      for (const v of value ?? []) headers.append(name, v);
    const answer = await site.fetch(`http://127.0.0.1${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      body,
    });
    let type: string | undefined;
    try {
      type = (JSON.parse(body) as { type?: string }).type;
    } catch {
      type = undefined;
    }
    log.push({ at: Date.now(), status: answer.status, type });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      out[key] = value;
    });
    res.writeHead(answer.status, out).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/x1/cxplan-team`;
  return {
    site,
    url,
    log,
    async connectionLine(personId) {
      const line = await site.connectionLine(personId);
      return `${url}#${line.split('#')[1]}`;
    },
    setOffline(value) {
      offline = value;
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
      await site.close();
    },
  };
}
