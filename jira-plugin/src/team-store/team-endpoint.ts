import {
  actorFor,
  deviceSigningString,
  headerValue,
  type OpResult,
  PAIRING_DEVICE_ID,
  type Person,
  readDeviceHeaders,
  TEAM_PROTOCOL_VERSION,
  type TeamAnswer,
  type TeamKind,
  type TeamMember,
  type TeamOp,
  type TeamRefusal,
  type TeamRequest,
  TeamRequestSchema,
  teamRefusal,
} from '@cxplan/core';
import type { WebTriggerRequest, WebTriggerResponse } from '@forge/api';
import * as v from 'valibot';
import {
  type DeviceRecord,
  listDevices,
  pairDevice,
  readDevice,
  revokeDevice,
  signatureValid,
  touchDevice,
} from './devices';
import { readAllStates, readStates } from './entity-rows';
import { encodeCursor, pullPage } from './feed';
import { claimNonce } from './nonce-store';
import { applyOps } from './push';
import { ensureSchema } from './setup';
import { type Sql, sqlErrorStatus } from './sql';
import type { TeamKvs } from './team-kvs';
import { setupDeps } from './team-store';

/** What the team endpoint needs; Forge passes the real ones, tests a real MariaDB and an in-memory KVS. */
export interface TeamEndpointDeps {
  sql: Sql;
  kv: TeamKvs;
  now?: () => number;
  newId?: () => string;
  /** Shown to a newly paired browser; by default the organisation's name as the admin page saved it. */
  workspaceName?: () => Promise<string>;
  /** How long one invocation may keep writing (a web trigger has 25 s by default). */
  writeBudgetMs?: number;
  /**
   * Called after a push applied changes, with the kinds it changed (the production wiring asks for a Jira sync when
   * the plan changed). A failure here is logged, never the push's: the push is stored either way.
   */
  onPushed?: (kinds: ReadonlySet<TeamKind>) => Promise<unknown>;
}

/** The subset of a Forge web-trigger request the endpoint reads. */
export type TeamRequestIn = Pick<WebTriggerRequest, 'method' | 'headers' | 'body'>;

const JSON_HEADERS = { 'Content-Type': ['application/json; charset=utf-8'], 'Cache-Control': ['no-store'] };

function respond(
  statusCode: number,
  body: unknown,
  extra: Record<string, string[]> = {},
): WebTriggerResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(body) };
}

function refused(r: TeamRefusal, now: number, extra: Record<string, string[]> = {}): WebTriggerResponse {
  return respond(
    r.status,
    {
      ok: false,
      code: r.code,
      message: r.message,
      serverTime: new Date(now).toISOString(),
      ...(r.errors && { errors: r.errors }),
    },
    extra,
  );
}

const ISO = (ms: number): string => new Date(ms).toISOString();

/**
 * The team sync's one endpoint (a web trigger with a dynamic response). Order matters: method and size before
 * anything is read; the device's signature before the body is trusted (a pairing request proves it holds the key
 * it registers); the schema's readiness before the store is touched; replays of pushes refused by nonce. Every
 * refusal has a code, a status and a sentence for the person; nothing is stored from a refused request.
 */
export function createTeamEndpoint(
  deps: TeamEndpointDeps,
): (request: TeamRequestIn) => Promise<WebTriggerResponse> {
  const clock = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  return async (request) => {
    const now = clock();
    try {
      if (request.method !== 'POST')
        return refused(teamRefusal('method-not-allowed', `Use POST (got ${request.method}).`), now);
      const body = request.body ?? '';
      const headers = request.headers ?? {};
      const pairing =
        headerValue(headers, 'x-cxplan-device') === undefined && /"type"\s*:\s*"pair"/.test(body);
      const signed = readDeviceHeaders(headers, body, now, { pairing });
      if ('status' in signed) return refused(signed, now);

      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return refused(teamRefusal('invalid', 'The body is not JSON.'), now);
      }
      const version = (json as { version?: unknown } | null)?.version;
      if (version !== TEAM_PROTOCOL_VERSION)
        return refused(
          teamRefusal(
            'wrong-version',
            `This server speaks team protocol ${TEAM_PROTOCOL_VERSION}; the request says ${String(version)}. Update the cxplan extension.`,
          ),
          now,
        );

      let device: DeviceRecord | undefined;
      if (signed.deviceId === PAIRING_DEVICE_ID) {
        const key = v.safeParse(
          v.object({
            publicKey: v.object({ kty: v.string(), crv: v.string(), x: v.string(), y: v.string() }),
          }),
          json,
        );
        if (
          !key.success ||
          !signatureValid(
            key.output.publicKey,
            deviceSigningString(PAIRING_DEVICE_ID, signed.timestamp, signed.nonce, body),
            signed.signature,
          )
        )
          return refused(
            teamRefusal('bad-signature', 'The pairing request is not signed by the key it registers.'),
            now,
          );
      } else {
        device = await readDevice(deps, signed.deviceId);
        if (!device)
          return refused(
            teamRefusal(
              'unknown-device',
              'This browser is not connected to the team workspace (or its connection was removed): connect it again from Jira (cxplan → Connect a browser).',
            ),
            now,
          );
        if (device.revokedAt)
          return refused(
            teamRefusal(
              'revoked',
              `This browser's connection was removed on ${device.revokedAt.slice(0, 10)}. Nothing on it is lost; connect it again from Jira to keep working with the team.`,
            ),
            now,
          );
        if (
          !signatureValid(
            device.publicKey,
            deviceSigningString(device.deviceId, signed.timestamp, signed.nonce, body),
            signed.signature,
          )
        )
          return refused(
            teamRefusal(
              'bad-signature',
              'The signature does not match the request: it was altered or signed by another key.',
            ),
            now,
          );
      }

      const parsed = v.safeParse(TeamRequestSchema, json, { abortEarly: false });
      if (!parsed.success) {
        const errors = parsed.issues.slice(0, 20).map((i) => {
          const path = v.getDotPath(i) ?? '';
          return { path, message: `${path || 'request'} ${i.message}` };
        });
        return refused(
          teamRefusal('invalid', `The request is not valid: ${errors[0]?.message ?? ''}`, errors),
          now,
        );
      }
      const req: TeamRequest = parsed.output;
      if (req.type !== 'pair' && device === undefined)
        return refused(
          teamRefusal(
            'missing-signature',
            'Only a pairing request may come from a browser without a device.',
          ),
          now,
        );

      if (!(await ensureSchema(setupDeps({ sql: deps.sql, kv: deps.kv, now: clock, newId }))))
        return refused(
          teamRefusal(
            'setting-up',
            'The team workspace is being set up (its database is being prepared); try again in a minute.',
          ),
          now,
          { 'Retry-After': ['30'] },
        );

      if (req.type === 'push' && (await claimNonce(deps.kv, signed.nonce, now)) === 'replayed')
        return refused(
          teamRefusal('replayed-nonce', 'This request was already received; sign it again with a new nonce.'),
          now,
        );

      switch (req.type) {
        case 'pair': {
          const outcome = await pairDevice({ sql: deps.sql, kv: deps.kv, now: clock }, req);
          if (!outcome.ok) return refused(teamRefusal('bad-code', outcome.message), now);
          const member = await memberOf(deps.sql, outcome.device.personId);
          const answer: TeamAnswer = {
            ok: true,
            type: 'pair',
            serverTime: ISO(now),
            deviceId: outcome.device.deviceId,
            member,
            workspaceName:
              (await (deps.workspaceName ?? (() => organisationName(deps.sql)))()) ?? 'Team workspace',
          };
          return respond(200, answer);
        }
        case 'push': {
          const owner = device as DeviceRecord;
          const results = await applyOps(
            { sql: deps.sql, kv: deps.kv, now: clock, newId },
            owner.personId,
            req.ops,
            { deadlineMs: now + (deps.writeBudgetMs ?? 18_000) },
          );
          await touchDevice({ sql: deps.sql, kv: deps.kv, now: clock }, owner.deviceId);
          const kinds = changedKinds(req.ops, results);
          if (deps.onPushed && kinds.size > 0)
            await deps.onPushed(kinds).catch((error: unknown) => {
              console.warn(`cxplan: after a push, the follow-up step failed: ${String(error)}`);
            });
          return respond(200, { ok: true, type: 'push', serverTime: ISO(now), results } satisfies TeamAnswer);
        }
        case 'pull': {
          const owner = device as DeviceRecord;
          let page: Awaited<ReturnType<typeof pullPage>>;
          try {
            page = await pullPage({ sql: deps.sql, kv: deps.kv, now: clock }, req.cursor, req.limit ?? 2000);
          } catch (error) {
            if (error instanceof Error && /cursor/.test(error.message))
              return refused(
                teamRefusal('invalid', `${error.message}: pull again without a cursor to start over.`),
                now,
              );
            throw error;
          }
          const answer: TeamAnswer = {
            ok: true,
            type: 'pull',
            serverTime: ISO(now),
            changes: page.first ? [...page.changes, ...page.first.recent] : page.changes,
            cursor: encodeCursor(page.cursor),
            more: page.more,
            ...(page.idle ? { idle: true } : { member: await memberOf(deps.sql, owner.personId) }),
            ...(page.first && {
              heatCounts: page.first.heatCounts,
              evidenceTotal: page.first.heatCounts.reduce((sum, c) => sum + c.count, 0),
            }),
          };
          return respond(200, answer);
        }
        case 'devices': {
          const owner = device as DeviceRecord;
          const member = await memberOf(deps.sql, owner.personId);
          if (req.revoke !== undefined) {
            const outcome = await revokeDevice(
              { sql: deps.sql, kv: deps.kv, now: clock },
              req.revoke,
              member,
            );
            if (!outcome.ok) return refused(teamRefusal('invalid', outcome.message), now);
          }
          const devices = await listDevices({ sql: deps.sql, kv: deps.kv, now: clock }, owner.personId);
          return respond(200, {
            ok: true,
            type: 'devices',
            serverTime: ISO(now),
            devices,
          } satisfies TeamAnswer);
        }
      }
    } catch (error) {
      const status = sqlErrorStatus(error);
      console.error('cxplan team endpoint failed', error instanceof Error ? error.message : String(error));
      if (status === 429)
        return refused(
          teamRefusal(
            'busy',
            'The team workspace is busy right now; your changes are kept and sent again shortly.',
          ),
          now,
          { 'Retry-After': ['10'] },
        );
      return refused(
        teamRefusal(
          'unavailable',
          'The Jira app could not answer just now; your changes are kept and sent again shortly.',
        ),
        now,
        { 'Retry-After': ['30'] },
      );
    }
  };
}

/** The person behind a device as the team knows them now (role and admin from the organisation's people). */
async function memberOf(sql: Sql, personId: string): Promise<TeamMember> {
  const people = [...(await readAllStates(sql, 'people')).values()].map((s) => s.body as unknown as Person);
  const actor = actorFor(personId, people);
  return { personId, name: actor.name, role: actor.role, admin: actor.admin };
}

/** The kinds of the operations a push applied. */
function changedKinds(ops: readonly TeamOp[], results: readonly OpResult[]): Set<TeamKind> {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.opId));
  return new Set(ops.filter((op) => applied.has(op.opId)).map((op) => op.kind));
}

/** The organisation's name in the store (undefined until the admin page has saved one). */
async function organisationName(sql: Sql): Promise<string | undefined> {
  const name = (await readStates(sql, 'organisation', ['organisation'])).get('organisation')?.body.name;
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}
