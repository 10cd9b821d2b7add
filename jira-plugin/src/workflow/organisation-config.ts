import {
  CycleSchema,
  DepartmentSchema,
  type FieldError,
  OrganisationSchema,
  type Person,
  PersonSchema,
  parseWith,
} from '@cxplan/core';
import * as v from 'valibot';

/**
 * The organisation as the Jira app keeps it in Forge KVS: departments with their manager and up-line manager
 * as Jira users, the people (so names can be shown), and which project and issue types hold the plan.
 * In the Jira app a person's id *is* their Atlassian account id, so the core's "who may verify" rule compares
 * the same ids Jira's `user.accountId` gives.
 */
export const OrganisationConfigSchema = v.object({
  organisation: OrganisationSchema,
  departments: v.array(DepartmentSchema),
  people: v.array(PersonSchema),
  /** Planning cycles (the project page's cycle selector and the progress time base). */
  cycles: v.optional(v.array(CycleSchema), []),
  jira: v.optional(
    v.object({
      projectKey: v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]+$/, 'must be a Jira project key such as CX')),
      epicIssueTypeId: v.pipe(v.string(), v.minLength(1, 'is required')),
      actionIssueTypeId: v.pipe(v.string(), v.minLength(1, 'is required')),
    }),
  ),
});
/** The organisation configuration kept by the Jira app. */
export type OrganisationConfig = v.InferOutput<typeof OrganisationConfigSchema>;

/** The KVS key of the organisation configuration (one small record: read whole, written whole). */
export const ORGANISATION_CONFIG_KEY = 'cxplan-organisation-config';

/** The part of `@forge/kvs` the configuration store needs. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

/** An empty configuration for a fresh installation. */
export function emptyOrganisationConfig(): OrganisationConfig {
  return {
    organisation: { name: 'Our organisation', businessObjectives: [] },
    departments: [],
    people: [],
    cycles: [],
  };
}

/** The outcome of saving: saved, or refused with the fields at fault (nothing stored is changed). */
export type SaveResult = { ok: true; config: OrganisationConfig } | { ok: false; errors: FieldError[] };

/** Reads and writes the organisation configuration, parsing at the boundary in both directions. */
export class OrganisationConfigStore {
  constructor(private readonly store: KeyValueStore) {}

  /** The stored configuration; an empty one when none was saved. A stored record that no longer parses throws. */
  async read(): Promise<OrganisationConfig> {
    const raw = await this.store.get<unknown>(ORGANISATION_CONFIG_KEY);
    if (raw === undefined) return emptyOrganisationConfig();
    const parsed = parseWith(OrganisationConfigSchema, raw, 'organisation configuration');
    if (!parsed.ok) {
      throw new Error(
        `The stored organisation configuration is unreadable (${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}); save it again from the admin page`,
      );
    }
    return parsed.value;
  }

  /**
   * Validates and saves a whole configuration. Refuses unknown department references (parent, manager or
   * up-line manager not among the people) so the verification rule never sees a dangling id.
   */
  async save(input: unknown): Promise<SaveResult> {
    const parsed = parseWith(OrganisationConfigSchema, input, 'organisation configuration');
    if (!parsed.ok) return parsed;
    const config = parsed.value;
    const errors: FieldError[] = [];
    const people = new Set(config.people.map((p) => p.id));
    const departments = new Set(config.departments.map((d) => d.id));
    config.departments.forEach((d, i) => {
      if (d.parentId !== undefined && !departments.has(d.parentId)) {
        errors.push({
          path: `departments.${i}.parentId`,
          message: `names a department "${d.parentId}" that does not exist`,
        });
      }
      for (const field of ['managerId', 'upLineManagerId'] as const) {
        const id = d[field];
        if (id !== undefined && !people.has(id)) {
          errors.push({
            path: `departments.${i}.${field}`,
            message: `names a person "${id}" who is not in the people list`,
          });
        }
      }
    });
    if (errors.length > 0) return { ok: false, errors };
    await this.store.set(ORGANISATION_CONFIG_KEY, config);
    return { ok: true, config };
  }
}

/** A display-name lookup over the configured people (an unknown account shows as its id). */
export function nameLookup(people: readonly Person[]): (id: string) => string {
  const names = new Map(people.map((p) => [p.id, p.name]));
  return (id) => names.get(id) ?? id;
}
