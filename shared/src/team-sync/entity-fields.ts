import { canonicalJson } from '../jira/canonical-json';
import { NESTED_FIELDS, SET_FIELDS, type TeamKind } from './team-kinds';

/**
 * A body as the merge sees it: one entry per versioned field. Top-level fields are themselves, except the members
 * of a nested object (a metric), which are `metric.name`, `metric.target`, … so each is versioned on its own.
 * An absent field has no entry.
 */
export type FlatFields = Record<string, unknown>;

/** A change to fields: the new value of each changed field, `null` where the field is removed. */
export type FieldPatch = Record<string, unknown>;

/** Splits a body into its versioned fields (see {@link FlatFields}). */
export function flattenBody(kind: TeamKind, body: Readonly<Record<string, unknown>>): FlatFields {
  const nested = NESTED_FIELDS[kind] ?? [];
  const out: FlatFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (nested.includes(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value))
        if (innerValue !== undefined) out[`${key}.${inner}`] = innerValue;
    } else out[key] = value;
  }
  return out;
}

/** Joins versioned fields back into a body (the inverse of {@link flattenBody}). */
export function unflattenBody(kind: TeamKind, fields: Readonly<FlatFields>): Record<string, unknown> {
  const nested = NESTED_FIELDS[kind] ?? [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const dot = key.indexOf('.');
    const parent = dot > 0 ? key.slice(0, dot) : undefined;
    if (parent !== undefined && nested.includes(parent)) {
      const object = (out[parent] ?? {}) as Record<string, unknown>;
      object[key.slice(dot + 1)] = value;
      out[parent] = object;
    } else out[key] = value;
  }
  return out;
}

/** True when two field values are the same value (key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * The patch that turns `before` into `after` (both bodies of one kind): every versioned field whose value differs,
 * `null` for a removed one. `before` undefined means a new entity: every field is in the patch.
 */
export function diffBodies(
  kind: TeamKind,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): FieldPatch {
  const a = before === undefined ? {} : flattenBody(kind, before);
  const b = flattenBody(kind, after);
  const patch: FieldPatch = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!sameValue(a[key], b[key])) patch[key] = key in b ? b[key] : null;
  }
  return patch;
}

/** The key a set field's members are merged by, when the field is an append-only set of this kind. */
export function setKeyOf(kind: TeamKind, field: string): string | undefined {
  return SET_FIELDS[kind]?.[field];
}

/**
 * The union of two copies of an append-only set, merged by `key`: every member of `kept`, then the members only
 * `incoming` has, in their order. Members are never removed, so merging is commutative up to order and idempotent.
 */
export function unionByKey(kept: unknown, incoming: unknown, key: string): unknown[] {
  const base = Array.isArray(kept) ? kept : [];
  const seen = new Set(base.map((m) => keyOf(m, key)));
  const out = [...base];
  for (const member of Array.isArray(incoming) ? incoming : []) {
    const k = keyOf(member, key);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(member);
  }
  return out;
}

function keyOf(member: unknown, key: string): string {
  return member !== null && typeof member === 'object'
    ? String((member as Record<string, unknown>)[key])
    : String(member);
}

/**
 * Applies a patch to a body on the replica's side (its own pending change shown on top of the team's state):
 * set fields are unioned, other fields replaced or removed.
 */
export function patchBody(
  kind: TeamKind,
  body: Readonly<Record<string, unknown>>,
  patch: Readonly<FieldPatch>,
): Record<string, unknown> {
  const fields = flattenBody(kind, body);
  for (const [field, value] of Object.entries(patch)) {
    const key = setKeyOf(kind, field);
    if (key !== undefined) fields[field] = unionByKey(fields[field], value, key);
    else if (value === null) delete fields[field];
    else fields[field] = value;
  }
  return unflattenBody(kind, fields);
}
