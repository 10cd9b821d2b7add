import * as fc from 'fast-check';
import type * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../io/parse';
import * as model from '../model/index';
import {
  arbAction,
  arbBusinessObjective,
  arbClipTarget,
  arbContribution,
  arbCustomerEvent,
  arbCycle,
  arbDate,
  arbDateTime,
  arbDepartment,
  arbDeptGoal,
  arbEmail,
  arbEvidence,
  arbId,
  arbJira,
  arbMetric,
  arbName,
  arbNote,
  arbOrganisation,
  arbOrgGoal,
  arbOrigin,
  arbPerson,
  arbReading,
  arbRefPools,
  arbSession,
  arbSettings,
  arbStage,
  arbTouchpoint,
  arbUrl,
  arbVerificationEvent,
  arbVerificationState,
  arbWorkspace,
  type RefPools,
} from './arbitraries';

type AnySchema = v.GenericSchema;

const isSchema = (x: unknown): x is AnySchema =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'schema';

/** Every valibot schema the model exports, by export name (new ones are picked up automatically). */
const SCHEMAS: [string, AnySchema][] = Object.entries(model as Record<string, unknown>).flatMap(
  ([name, x]) => (isSchema(x) ? [[name, x] as [string, AnySchema]] : []),
);

const withPools = <T>(make: (p: RefPools) => fc.Arbitrary<T>): fc.Arbitrary<T> => arbRefPools.chain(make);

/** Valid values for the object and text schemas; picklists and literals are derived from the schema itself. */
const VALID: Record<string, fc.Arbitrary<unknown>> = {
  IdSchema: arbId,
  DateTimeSchema: arbDateTime,
  DateSchema: arbDate,
  NameSchema: arbName,
  NoteSchema: arbNote,
  UrlSchema: arbUrl,
  EmailSchema: arbEmail,
  IdListSchema: fc.uniqueArray(arbId, { maxLength: 4 }),
  StampSchema: fc.record({ by: arbId, at: arbDateTime }),
  CycleSchema: arbCycle(),
  TextQuoteSelectorSchema: arbClipTarget.map((t) => t.quote),
  TextPositionSelectorSchema: fc
    .tuple(fc.nat(1000), fc.nat(100))
    .map(([start, n]) => ({ type: 'TextPositionSelector', start, end: start + n })),
  ClipTargetSchema: arbClipTarget,
  OriginSchema: arbOrigin,
  SentimentSchema: fc.integer({ min: -2, max: 2 }),
  EvidenceSchema: withPools(arbEvidence),
  StageSchema: arbStage(),
  CustomerEventSchema: withPools(arbCustomerEvent),
  TouchpointSchema: withPools(arbTouchpoint),
  JiraLinkSchema: arbJira,
  OrgGoalSchema: withPools(arbOrgGoal),
  DeptGoalSchema: withPools(arbDeptGoal),
  ActionSchema: withPools(arbAction),
  ContributionSchema: withPools(arbContribution),
  SessionSchema: withPools(arbSession),
  ReadingSchema: arbReading(),
  SuccessMetricSchema: arbMetric(),
  BusinessObjectiveSchema: arbBusinessObjective(),
  OrganisationSchema: arbOrganisation(),
  PersonSchema: withPools(arbPerson),
  DepartmentSchema: withPools(arbDepartment),
  ReasonSchema: arbName,
  VerificationStateSchema: arbVerificationState(),
  VerificationEventSchema: arbVerificationEvent(),
  SettingsSchema: arbSettings(),
  WorkspaceSchema: arbWorkspace,
};

/** A valid-value arbitrary for a schema: from the table, or the options of a picklist / the value of a literal. */
function validFor(name: string, schema: AnySchema): fc.Arbitrary<unknown> | undefined {
  const known = VALID[name];
  if (known !== undefined) return known;
  const s = schema as { type: string; options?: readonly unknown[]; literal?: unknown };
  if (s.type === 'picklist' && s.options !== undefined) return fc.constantFrom(...s.options);
  if (s.type === 'literal') return fc.constant(s.literal);
  return undefined;
}

/** Checks the parse contract: a typed value, or errors that are sentences naming their field. */
function expectWellFormed(result: ReturnType<typeof parseWith>): void {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    expect(e.message.startsWith(e.path === '' ? 'value' : e.path)).toBe(true);
    expect(e.message.length).toBeGreaterThan(e.path.length + 3);
  }
}

type Path = (string | number)[];

/** Every path inside a JSON-like value (the value itself included), for mutation. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  }
  return here;
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** A deep copy with the value at `path` replaced (or removed, when `replacement` is the DELETE marker). */
function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1) as string | number;
  if (replacement === DELETE) delete parent[key];
  else parent[key] = replacement;
  return copy;
}
const DELETE = Symbol('delete');

/** A value of a different JSON type than the one given, so no field of the model can accept it. */
function wrongType(x: unknown): unknown {
  if (typeof x === 'string') return 42;
  if (typeof x === 'number') return 'not a number';
  if (typeof x === 'boolean') return 'not a boolean';
  return 'not an object';
}

const dotPath = (p: Path): string => p.join('.');

describe('every model schema', () => {
  it('is covered here: it has a valid-value arbitrary (add one to VALID when you add a schema)', () => {
    expect(SCHEMAS.length).toBeGreaterThan(40);
    expect(SCHEMAS.filter(([name, s]) => validFor(name, s) === undefined).map(([name]) => name)).toEqual([]);
  });

  it.each(SCHEMAS)('%s accepts its valid values', (name, schema) => {
    const arb = validFor(name, schema);
    if (arb === undefined) throw new Error(`no valid-value arbitrary for ${name}`);
    fc.assert(
      fc.property(arb, (value) => {
        const r = parseWith(schema, value);
        if (!r.ok)
          throw new Error(`${name} refused a valid value: ${r.errors.map((e) => e.message).join('; ')}`);
      }),
      { numRuns: 30 },
    );
  });

  it.each(SCHEMAS)('%s never throws on arbitrary input, and its errors name their field', (_name, schema) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.anything({
            withBoxedValues: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withSparseArray: true,
          }),
        ),
        (input) => {
          expectWellFormed(parseWith(schema, input));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each(SCHEMAS)(
    '%s refuses a value with one field of the wrong type, naming that field',
    (name, schema) => {
      const arb = validFor(name, schema);
      if (arb === undefined) throw new Error(`no valid-value arbitrary for ${name}`);
      const mutated = arb.chain((value) =>
        fc
          .constantFrom(...paths(value))
          .map((path) => ({ path, input: setAt(value, path, wrongType(getAt(value, path))) })),
      );
      fc.assert(
        fc.property(mutated, ({ path, input }) => {
          const r = parseWith(schema, input);
          expect(r.ok).toBe(false);
          expectWellFormed(r);
          if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(dotPath(path));
        }),
        { numRuns: 60 },
      );
    },
  );

  it.each(SCHEMAS)('%s, missing a required field, names that field', (name, schema) => {
    const arb = validFor(name, schema);
    if (arb === undefined) throw new Error(`no valid-value arbitrary for ${name}`);
    const removed = arb.chain((value) => {
      const keyed = paths(value).filter((p) => p.length > 0 && typeof p.at(-1) === 'string');
      return keyed.length === 0
        ? fc.constant(undefined)
        : fc.constantFrom(...keyed).map((path) => ({ path, input: setAt(value, path, DELETE) }));
    });
    fc.assert(
      fc.property(removed, (m) => {
        if (m === undefined) return;
        const r = parseWith(schema, m.input);
        expectWellFormed(r);
        // An optional field may go; a required one must be named.
        if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(dotPath(m.path));
      }),
      { numRuns: 60 },
    );
  });
});
