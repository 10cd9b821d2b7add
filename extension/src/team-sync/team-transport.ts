import {
  parseWith,
  retryAfterMs,
  TEAM_PROTOCOL_VERSION,
  type TeamAnswer,
  TeamAnswerSchema,
  type TeamRefusalAction,
  TeamRefusedSchema,
  type TeamRequest,
  teamRefusalAction,
} from '@cxplan/core';
import { type DeviceKeys, signedHeaders } from './device-key';

/** What came back for a request. */
export type TransportResult =
  | { ok: true; answer: TeamAnswer }
  | {
      ok: false;
      action: TeamRefusalAction;
      code?: string;
      message: string;
      retryAfterMs?: number;
      errors?: { path: string; message: string }[];
    };

/**
 * How the replica reaches the team workspace. One interface, so the transport can move from today's web trigger
 * (requests signed by the device key, identity mapped by the app) to Forge's app REST APIs with OAuth 2.0 once those
 * leave Preview and document the caller, without the replica changing.
 */
export interface TeamTransport {
  send(request: Outgoing): Promise<TransportResult>;
}

/** A request as the replica makes it (the transport adds the protocol version). */
export type Outgoing = TeamRequest extends infer R ? (R extends unknown ? Omit<R, 'version'> : never) : never;

/** The web-trigger transport: signs each request with the device key; learns the team's clock when it is told to. */
export class WebTriggerTransport implements TeamTransport {
  constructor(
    private readonly options: {
      url: string;
      keys: DeviceKeys;
      /** Absent for the pairing request (the device gets its id from the answer). */
      deviceId?: string;
      clockOffsetMs?: number;
      onClockOffset?: (offsetMs: number) => void | Promise<void>;
      fetch?: typeof fetch;
      clock?: () => number;
      timeoutMs?: number;
    },
  ) {}

  async send(request: Outgoing): Promise<TransportResult> {
    const clock = this.options.clock ?? Date.now;
    const body = JSON.stringify({ version: TEAM_PROTOCOL_VERSION, ...request });
    let offset = this.options.clockOffsetMs ?? 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      let response: Response;
      try {
        response = await (this.options.fetch ?? fetch)(this.options.url, {
          method: 'POST',
          headers: await signedHeaders(this.options.keys, this.options.deviceId, body, clock() + offset),
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        return {
          ok: false,
          action: 'retry-later',
          message: `The team workspace could not be reached (${error instanceof Error ? error.message : String(error)}).`,
        };
      }
      const text = await response.text().catch(() => '');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (response.ok) {
        const parsed = parseWith(TeamAnswerSchema, json, 'answer');
        if (parsed.ok) return { ok: true, answer: parsed.value };
        return {
          ok: false,
          action: 'retry-later',
          message: `The team workspace answered something this extension cannot read (${parsed.errors[0]?.message}).`,
        };
      }
      const refused = parseWith(TeamRefusedSchema, json, 'refusal');
      const code = refused.ok ? refused.value.code : undefined;
      const action = teamRefusalAction(response.status, code);
      const message = refused.ok
        ? refused.value.message
        : `The team workspace answered HTTP ${response.status}.`;
      if (action === 're-sign' && attempt === 0) {
        if (code === 'stale-timestamp' && refused.ok && refused.value.serverTime) {
          offset = Date.parse(refused.value.serverTime) - clock();
          await this.options.onClockOffset?.(offset);
        }
        continue;
      }
      return {
        ok: false,
        action: action === 're-sign' ? 'retry-later' : action,
        ...(code !== undefined && { code }),
        message,
        ...(retryAfterMs(response.headers.get('Retry-After'), clock()) !== undefined && {
          retryAfterMs: retryAfterMs(response.headers.get('Retry-After'), clock()),
        }),
        ...(refused.ok && refused.value.errors && { errors: refused.value.errors }),
      };
    }
    return { ok: false, action: 'retry-later', message: 'The request could not be signed acceptably.' };
  }
}
