import {
  DateTimeSchema,
  type FieldError,
  type IngestPairing,
  parsePairingInput,
  parseWith,
} from '@cxplan/core';
import * as v from 'valibot';

/** Where the pairing lives in `browser.storage.local` (the extension's own storage; never synced across devices). */
export const PAIRING_KEY = 'cxplan.jiraPairing';

/** The part of `browser.storage.local` pairing needs. */
export interface PairingArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The part of `browser.permissions` pairing needs. */
export interface PermissionsApi {
  /** `data_collection`: Firefox's optional data-consent types (see wxt.config.ts), asked for in the same prompt. */
  request(p: { origins: string[]; data_collection?: string[] }): Promise<boolean>;
  remove(p: { origins: string[] }): Promise<boolean>;
}

/** A stored pairing: where to send, the secret, and whether the server last refused it (then sending stops). */
export const StoredPairingSchema = v.object({
  triggerUrl: v.string(),
  originPattern: v.string(),
  secret: v.string(),
  keyId: v.string(),
  pairedAt: DateTimeSchema,
  /** Set when the server answered 401 (wrong or rotated secret); cleared by pairing again. */
  broken: v.optional(v.object({ code: v.string(), message: v.string(), at: DateTimeSchema })),
  /** Server clock minus ours, learnt from a refused stale timestamp, added when signing. */
  clockOffsetMs: v.optional(v.number(), 0),
});
/** A stored pairing. */
export type StoredPairing = v.InferOutput<typeof StoredPairingSchema>;

/** Reads the pairing; undefined when not paired (or the stored record is damaged: the user pairs again). */
export async function readPairing(local: PairingArea): Promise<StoredPairing | undefined> {
  const raw = (await local.get(PAIRING_KEY))[PAIRING_KEY];
  if (raw === undefined) return undefined;
  const parsed = parseWith(StoredPairingSchema, raw, 'pairing');
  if (!parsed.ok) console.warn('cxplan: the stored Jira pairing is unreadable; pair again', parsed.errors);
  return parsed.ok ? parsed.value : undefined;
}

/** The outcome of pairing: the pairing, or errors naming `triggerUrl`, `secret` or `permission`. */
export type PairingOutcome = { ok: true; pairing: StoredPairing } | { ok: false; errors: FieldError[] };

/**
 * Pairs with Jira from what the user pasted. The host permission for the trigger's origin is requested right
 * away — inside the click that called this, before any other await, because browsers only show the prompt
 * during a user gesture. Nothing is stored unless the input is valid and the permission was granted.
 */
export async function pairWithJira(
  input: { triggerUrl: string; secret: string },
  deps: { local: PairingArea; permissions: PermissionsApi; now?: number; dataCollection?: readonly string[] },
): Promise<PairingOutcome> {
  const parsed = parsePairingInput(input);
  if (!parsed.ok) return parsed;
  const granted = await requestOrigin(deps.permissions, parsed.value, deps.dataCollection ?? []);
  if (!granted) {
    return {
      ok: false,
      errors: [
        {
          path: 'permission',
          message: `Permission to reach ${parsed.value.originPattern.replace('/*', '')} was not granted, so captures stay on this computer.`,
        },
      ],
    };
  }
  const pairing: StoredPairing = {
    triggerUrl: parsed.value.triggerUrl,
    originPattern: parsed.value.originPattern,
    secret: parsed.value.secret,
    keyId: parsed.value.keyId,
    pairedAt: new Date(deps.now ?? Date.now()).toISOString(),
    clockOffsetMs: 0,
  };
  await deps.local.set({ [PAIRING_KEY]: pairing });
  return { ok: true, pairing };
}

async function requestOrigin(
  permissions: PermissionsApi,
  pairing: IngestPairing,
  dataCollection: readonly string[],
): Promise<boolean> {
  try {
    // Firefox: the optional data-collection consent is part of pairing (one prompt); Chrome has no such key.
    if (dataCollection.length > 0) {
      try {
        return await permissions.request({
          origins: [pairing.originPattern],
          data_collection: [...dataCollection],
        });
      } catch (error) {
        // Firefox before 140 has no built-in data consent and rejects the key: ask for the origin alone.
        console.warn('cxplan: data-collection consent unsupported here', error);
      }
    }
    return await permissions.request({ origins: [pairing.originPattern] });
  } catch (error) {
    console.warn('cxplan: host permission request failed', error);
    return false;
  }
}

/** Forgets the pairing and gives the host permission back. Queued captures stay queued (and local). */
export async function unpairJira(deps: { local: PairingArea; permissions: PermissionsApi }): Promise<void> {
  const pairing = await readPairing(deps.local);
  await deps.local.remove(PAIRING_KEY);
  if (pairing) await deps.permissions.remove({ origins: [pairing.originPattern] }).catch(() => false);
}

/** Records that the server refused the pairing (401): sending stops until the user pairs again. */
export async function markPairingBroken(
  local: PairingArea,
  code: string,
  message: string,
  now: number,
): Promise<void> {
  const pairing = await readPairing(local);
  if (!pairing) return;
  await local.set({
    [PAIRING_KEY]: { ...pairing, broken: { code, message, at: new Date(now).toISOString() } },
  });
}

/** Remembers how far the server's clock is from ours, so the next signature falls inside its ±5 min window. */
export async function saveClockOffset(local: PairingArea, offsetMs: number): Promise<void> {
  const pairing = await readPairing(local);
  if (!pairing) return;
  await local.set({ [PAIRING_KEY]: { ...pairing, clockOffsetMs: Math.round(offsetMs) } });
}
