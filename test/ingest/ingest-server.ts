import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebTriggerRequest } from '@forge/api';
import type { StoredEvidence } from '../../jira-plugin/src/ingest/evidence-store';
import { createIngestHandler } from '../../jira-plugin/src/ingest/ingest-handler';
import { evidenceKey } from '../../jira-plugin/src/ingest/ingest-kvs';
import {
  generateIngestSecret,
  type IngestSecretShownOnce,
  rotateIngestSecret,
} from '../../jira-plugin/src/ingest/ingest-secret';
import type { PlanItemSink } from '../../jira-plugin/src/ingest/plan-item-sink';
import { MemoryKvs } from '../../jira-plugin/src/ingest/testing/memory-kvs';

/** One request as the server saw it, and what it answered. */
export interface LoggedIngest {
  /** When the request arrived (epoch ms). */
  at: number;
  status: number;
  /** Client ids in the body when it was a parseable batch. */
  clientIds: string[];
  /** Per-item statuses the handler answered (created, updated, duplicate, rejected). */
  results: Array<{ clientId: string; status: string }>;
  /** Set when the request was answered by an injected fault, not by the handler. */
  injected?: 'status' | 'drop';
  /** The request as received, so a test can replay it byte for byte. */
  request?: { headers: Record<string, string[]>; body: string };
}

/** The real ingest web-trigger handler behind a plain HTTP server on 127.0.0.1, with faults on demand. */
export interface IngestServer {
  /** The "web trigger URL" to paste into the extension. */
  url: string;
  secret: IngestSecretShownOnce;
  kv: MemoryKvs;
  log: LoggedIngest[];
  /** Answer the next requests with these statuses (e.g. 503 with Retry-After) instead of calling the handler. */
  failNext(statuses: number[], retryAfterSeconds?: number): void;
  /** While offline, connections are reset without an answer (what a dropped network looks like to fetch). */
  setOffline(offline: boolean): void;
  /** Rotates the ingest secret as the admin page does; `secret` is the new one afterwards. */
  rotate(): Promise<IngestSecretShownOnce>;
  /** The captures stored so far, by client id. */
  stored(): Promise<Map<string, StoredEvidence>>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Node headers → Forge's shape: name → list of values. */
function forgeHeaders(req: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headersDistinct)) if (value) out[name] = value;
  return out;
}

function clientIdsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { items?: Array<{ clientId?: unknown }> };
    return (parsed.items ?? []).map((i) => String(i.clientId));
  } catch {
    return [];
  }
}

function resultsOf(body: string): Array<{ clientId: string; status: string }> {
  try {
    const parsed = JSON.parse(body) as { results?: Array<{ clientId: string; status: string }> };
    return (parsed.results ?? []).map(({ clientId, status }) => ({ clientId, status }));
  } catch {
    return [];
  }
}

/**
 * Starts the server: the same `createIngestHandler` the Forge web trigger exports, over in-memory KVS with a fresh
 * ingest secret. Requests are translated into Forge's web-trigger request shape and the dynamic response back.
 */
export async function startIngestServer(options: { plan?: PlanItemSink } = {}): Promise<IngestServer> {
  const kv = new MemoryKvs();
  const secret = await generateIngestSecret(kv);
  // `plan`: where goals and actions go (the Jira sync over a fake Jira); without one they are rejected.
  const handle = createIngestHandler({ kv, plan: options.plan });
  const log: LoggedIngest[] = [];
  const faults: number[] = [];
  let retryAfter = 1;
  let offline = false;

  const server: Server = createServer(async (req, res) => {
    if (offline) {
      log.push({ at: Date.now(), status: 0, clientIds: [], results: [], injected: 'drop' });
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    const fault = faults.shift();
    if (fault !== undefined) {
      log.push({
        at: Date.now(),
        status: fault,
        clientIds: clientIdsOf(body),
        results: [],
        injected: 'status',
      });
      res
        .writeHead(fault, { 'content-type': 'text/plain', 'retry-after': String(retryAfter) })
        .end('try later');
      return;
    }
    const request = {
      method: (req.method ?? 'GET') as WebTriggerRequest['method'],
      headers: forgeHeaders(req),
      body,
    };
    const response = await handle(request);
    log.push({
      at: Date.now(),
      status: response.statusCode,
      clientIds: clientIdsOf(body),
      results: resultsOf(response.body ?? ''),
      request: { headers: request.headers, body },
    });
    res.writeHead(response.statusCode, response.headers ?? {}).end(response.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: IngestServer = {
    url: `http://127.0.0.1:${port}/x1/cxplan-ingest`,
    secret,
    kv,
    log,
    failNext(statuses, seconds = 1) {
      faults.push(...statuses);
      retryAfter = seconds;
    },
    setOffline(value) {
      offline = value;
    },
    async rotate() {
      api.secret = await rotateIngestSecret(kv);
      return api.secret;
    },
    async stored() {
      const out = new Map<string, StoredEvidence>();
      for (const key of kv.keys(evidenceKey(''))) {
        const value = await kv.get<StoredEvidence>(key);
        if (value) out.set(value.evidence.id, value);
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  return api;
}
