import * as v from 'valibot';
import type { FieldError } from '../io/parse';
import { DateTimeSchema, IdSchema, NameSchema } from '../model/common';
import { RoleSchema } from '../model/organisation';
import { TeamKindSchema } from './team-kinds';

/**
 * The team sync's wire protocol between a browser (a replica) and the Jira app's web trigger: requests are JSON
 * bodies `{ version, type, … }` signed by the device's key (see device-signature.ts); answers are JSON.
 * One endpoint, four request types: `pair` (exchange a pairing code for a device), `push` (operations),
 * `pull` (changes since a cursor) and `devices` (list or revoke one's own devices).
 */

/** Bumped when the wire shape changes incompatibly; the server answers `wrong-version` to any other. */
export const TEAM_PROTOCOL_VERSION = 1;

/** Most operations in one push: 500 clips fit a request (≈600 bytes each) and one SQL statement of 1 MiB. */
export const MAX_PUSH_OPS = 500;

/** Most changes in one pull page (the server may answer fewer to keep the answer under its size budget). */
export const MAX_PULL_LIMIT = 5_000;

const OpIdSchema = v.pipe(
  v.string('must be an operation id'),
  v.regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'must be 1–80 letters, digits, _ . : or -'),
);
const VersionSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(0),
);

/** An operation on the wire (see team-merge.ts `TeamOp`). */
export const TeamOpSchema = v.variant('type', [
  v.object({
    type: v.literal('put'),
    opId: OpIdSchema,
    kind: TeamKindSchema,
    id: IdSchema,
    baseVersion: VersionSchema,
    fields: v.record(v.pipe(v.string(), v.maxLength(100)), v.unknown()),
  }),
  v.object({
    type: v.literal('delete'),
    opId: OpIdSchema,
    kind: TeamKindSchema,
    id: IdSchema,
    baseVersion: VersionSchema,
  }),
]);

/** A public key in JWK form: ECDSA P-256, as WebCrypto exports the public half of a non-extractable pair. */
export const DevicePublicKeySchema = v.object({
  kty: v.literal('EC', 'must be an EC key'),
  crv: v.literal('P-256', 'must be a P-256 key'),
  x: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 coordinate')),
  y: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 coordinate')),
});
/** A device's public key. */
export type DevicePublicKey = v.InferOutput<typeof DevicePublicKeySchema>;

/** A pairing code as a person copies it from Jira: 4 groups of 4 letters or digits (no 0/O/1/I). */
export const PairingCodeSchema = v.pipe(
  v.string('must be a pairing code'),
  v.trim(),
  v.transform((s) => s.toUpperCase().replace(/[\s-]/g, '')),
  v.regex(/^[A-HJ-NP-Z2-9]{16}$/, 'must be the 16-character code shown in Jira (e.g. ABCD-EFGH-JKLM-NPQR)'),
);

/** Every request the endpoint takes. */
export const TeamRequestSchema = v.variant('type', [
  v.object({
    version: v.number(),
    type: v.literal('pair'),
    code: PairingCodeSchema,
    publicKey: DevicePublicKeySchema,
    deviceName: NameSchema,
  }),
  v.object({
    version: v.number(),
    type: v.literal('push'),
    ops: v.pipe(
      v.array(TeamOpSchema),
      v.maxLength(MAX_PUSH_OPS, `must hold at most ${MAX_PUSH_OPS} operations`),
    ),
  }),
  v.object({
    version: v.number(),
    type: v.literal('pull'),
    cursor: v.optional(v.pipe(v.string(), v.maxLength(2000))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PULL_LIMIT))),
  }),
  v.object({
    version: v.number(),
    type: v.literal('devices'),
    revoke: v.optional(IdSchema),
  }),
]);
/** A request to the team endpoint. */
export type TeamRequest = v.InferOutput<typeof TeamRequestSchema>;

/** The person a device belongs to, as the team workspace knows them. */
export const TeamMemberSchema = v.object({
  personId: IdSchema,
  name: NameSchema,
  role: RoleSchema,
  admin: v.boolean(),
});
/** The person a device belongs to. */
export type TeamMember = v.InferOutput<typeof TeamMemberSchema>;

/** One changed entity in a pull: its current state (a deleted one has no body). */
export const TeamChangeSchema = v.object({
  kind: TeamKindSchema,
  id: IdSchema,
  version: VersionSchema,
  deleted: v.boolean(),
  /** The whole current body (parsed by the replica with the kind's schema before it is stored). */
  body: v.optional(v.record(v.string(), v.unknown())),
  changedBy: v.optional(v.string()),
  changedAt: DateTimeSchema,
});
/** One changed entity in a pull. */
export type TeamChange = v.InferOutput<typeof TeamChangeSchema>;

const SupersededSchema = v.object({ field: v.string(), by: v.string(), at: v.string() });

/**
 * The entity as the store holds it after a change that was not (wholly) applied, so the author's replica shows the
 * team's values at once instead of its own refused or superseded ones (absent when the entity does not exist).
 */
const CurrentSchema = v.optional(
  v.object({
    version: VersionSchema,
    deleted: v.boolean(),
    body: v.optional(v.record(v.string(), v.unknown())),
  }),
);

/** The outcome of one pushed operation. */
export const OpResultSchema = v.variant('status', [
  v.object({
    opId: v.string(),
    status: v.literal('applied'),
    version: VersionSchema,
    superseded: v.optional(v.array(SupersededSchema)),
    message: v.optional(v.string()),
    current: CurrentSchema,
  }),
  v.object({ opId: v.string(), status: v.literal('duplicate'), version: VersionSchema }),
  v.object({
    opId: v.string(),
    status: v.literal('superseded'),
    version: VersionSchema,
    superseded: v.array(SupersededSchema),
    message: v.string(),
    current: CurrentSchema,
  }),
  v.object({
    opId: v.string(),
    status: v.literal('refused'),
    code: v.string(),
    message: v.string(),
    errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
    current: CurrentSchema,
  }),
]);
/** The outcome of one pushed operation. */
export type OpResult = v.InferOutput<typeof OpResultSchema>;

/** One heat-map count (per customer event and category) as the store keeps it. */
export const HeatCountSchema = v.object({ eventId: v.string(), category: v.number(), count: v.number() });

/** A device as its owner (or an admin) sees it. */
export const DeviceInfoSchema = v.object({
  deviceId: IdSchema,
  personId: IdSchema,
  name: v.string(),
  pairedAt: DateTimeSchema,
  lastSeenAt: v.optional(DateTimeSchema),
  revokedAt: v.optional(DateTimeSchema),
});
/** A device as its owner sees it. */
export type DeviceInfo = v.InferOutput<typeof DeviceInfoSchema>;

/** Every successful answer. */
export const TeamAnswerSchema = v.variant('type', [
  v.object({
    ok: v.literal(true),
    type: v.literal('pair'),
    serverTime: DateTimeSchema,
    deviceId: IdSchema,
    member: TeamMemberSchema,
    workspaceName: v.string(),
  }),
  v.object({
    ok: v.literal(true),
    type: v.literal('push'),
    serverTime: DateTimeSchema,
    results: v.array(OpResultSchema),
  }),
  v.object({
    ok: v.literal(true),
    type: v.literal('pull'),
    serverTime: DateTimeSchema,
    /** Who the device belongs to, as the team knows them now (absent on an idle answer, which reads nothing). */
    member: v.optional(TeamMemberSchema),
    changes: v.array(TeamChangeSchema),
    cursor: v.string(),
    /** True when more changes wait: pull again at once with the new cursor. */
    more: v.boolean(),
    /** Answered without reading the store (nothing changed since the cursor was served). */
    idle: v.optional(v.boolean()),
    /** On a first pull, the team's heat-map counts, so a new replica shows the map before every clip arrived. */
    heatCounts: v.optional(v.array(HeatCountSchema)),
    /** On a first pull, how many clips the team has (for progress). */
    evidenceTotal: v.optional(v.number()),
  }),
  v.object({
    ok: v.literal(true),
    type: v.literal('devices'),
    serverTime: DateTimeSchema,
    devices: v.array(DeviceInfoSchema),
  }),
]);
/** A successful answer of the team endpoint. */
export type TeamAnswer = v.InferOutput<typeof TeamAnswerSchema>;

/** Why a whole request was refused. */
export const TeamRefusalCodeSchema = v.picklist([
  'setting-up',
  'missing-signature',
  'bad-signature',
  'unknown-device',
  'revoked',
  'reconnect',
  'stale-timestamp',
  'replayed-nonce',
  'bad-code',
  'too-large',
  'invalid',
  'wrong-version',
  'method-not-allowed',
  'busy',
  'unavailable',
]);
/** Why a whole request was refused. */
export type TeamRefusalCode = v.InferOutput<typeof TeamRefusalCodeSchema>;

/** The HTTP status of each refusal (one table, read by the server and the client). */
export const TEAM_REFUSAL_STATUS: Readonly<Record<TeamRefusalCode, number>> = {
  'setting-up': 503,
  'missing-signature': 401,
  'bad-signature': 401,
  'unknown-device': 401,
  revoked: 401,
  reconnect: 401,
  'stale-timestamp': 401,
  'replayed-nonce': 409,
  'bad-code': 403,
  'too-large': 413,
  invalid: 400,
  'wrong-version': 400,
  'method-not-allowed': 405,
  busy: 429,
  unavailable: 503,
};

/** A refused request. */
export const TeamRefusedSchema = v.object({
  ok: v.literal(false),
  code: TeamRefusalCodeSchema,
  message: v.string(),
  serverTime: v.optional(DateTimeSchema),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});
/** A refused request. */
export type TeamRefused = v.InferOutput<typeof TeamRefusedSchema>;

/** A refusal with its status (what the server answers). */
export interface TeamRefusal {
  status: number;
  code: TeamRefusalCode;
  message: string;
  errors?: FieldError[];
}

/** Builds a refusal with its code's status. */
export function teamRefusal(code: TeamRefusalCode, message: string, errors?: FieldError[]): TeamRefusal {
  return { status: TEAM_REFUSAL_STATUS[code], code, message, ...(errors && { errors }) };
}

/** What a replica does with a refusal. */
export type TeamRefusalAction =
  /** Keep the work and try again later (Retry-After or backoff). */
  | 'retry-later'
  /** Sign again (fresh nonce, corrected clock) and retry now. */
  | 're-sign'
  /** Stop: this device is not (or no longer) paired; show the message, keep every local change. */
  | 'unpaired'
  /** Send fewer operations per request. */
  | 'split'
  /** The request itself is wrong (a bug or an old extension): stop and show the message. */
  | 'rejected';

/** What a replica does with a refusal code (or a bare HTTP status when the body was unreadable). */
export function teamRefusalAction(status: number, code?: TeamRefusalCode): TeamRefusalAction {
  if (code === 'stale-timestamp' || code === 'replayed-nonce') return 're-sign';
  if (code === 'too-large' || status === 413) return 'split';
  if (code === 'setting-up' || code === 'busy' || code === 'unavailable') return 'retry-later';
  if (status === 401 || status === 403) return 'unpaired';
  if (status === 429 || status === 408 || status >= 500) return 'retry-later';
  return 'rejected';
}
