import {
  CycleSchema,
  DepartmentSchema,
  diffBodies,
  type FieldError,
  JIRA_APP_PERSON_ID,
  type Organisation,
  OrganisationSchema,
  type Person,
  PersonSchema,
  parseWith,
  type TeamKind,
  type TeamOp,
} from '@cxplan/core';
import * as v from 'valibot';
import { readOrganisation, type Stored, type StoredOrganisation } from '../team-store/plan-reads';
import { JIRA_TARGET_KEY } from '../team-store/team-kvs';
import { applyAndReport, appOpId, openTeamStore, type TeamStoreDeps } from '../team-store/team-store';

/** The Jira project and the issue types the plan goes to. */
const JiraTargetSchema = v.object({
  projectKey: v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]+$/, 'must be a Jira project key such as CX')),
  epicIssueTypeId: v.pipe(v.string(), v.minLength(1, 'is required')),
  actionIssueTypeId: v.pipe(v.string(), v.minLength(1, 'is required')),
});

/**
 * The organisation as the Jira app keeps it: the organisation and its business objectives, departments with their
 * manager and up-line manager, the people (in the Jira app a person's id *is* their Atlassian account id, so the
 * core's "who may verify" rule compares the ids Jira's `user.accountId` gives; `admin` marks who administers the
 * team workspace) and the planning cycles live in the team store, replicated to every paired browser; which Jira
 * project and issue types hold the plan is this installation's own choice and stays in KVS.
 */
export const OrganisationConfigSchema = v.object({
  organisation: OrganisationSchema,
  departments: v.array(DepartmentSchema),
  people: v.array(PersonSchema),
  /** Planning cycles (the project page's cycle selector and the progress time base). */
  cycles: v.optional(v.array(CycleSchema), []),
  jira: v.optional(JiraTargetSchema),
});
/** The organisation configuration kept by the Jira app. */
export type OrganisationConfig = v.InferOutput<typeof OrganisationConfigSchema>;

export { JIRA_TARGET_KEY };

/** The organisation a fresh installation shows until an admin saves one. */
export const DEFAULT_ORGANISATION: Organisation = {
  name: 'Our organisation',
  businessObjectives: [],
};

/** An empty configuration for a fresh installation. */
export function emptyOrganisationConfig(): OrganisationConfig {
  return { organisation: DEFAULT_ORGANISATION, departments: [], people: [], cycles: [] };
}

/** The outcome of saving: saved, or refused with the fields at fault (nothing stored is changed). */
export type SaveResult = { ok: true; config: OrganisationConfig } | { ok: false; errors: FieldError[] };

/** Who is saving, as Jira knows them (the admin page's signed-in account). */
export interface Saver {
  accountId: string;
  /** Their display name in Jira, for when they are not yet among the people. */
  displayName?: string | undefined;
}

/**
 * Reads and writes the organisation configuration, parsing at the boundary in both directions. Reads come from
 * the team store (and KVS for the Jira project); a save becomes operations on the store, applied as the saving
 * admin's trusted changes (the admin page is a Jira admin page: Jira vouches for who may open it), so every paired
 * browser receives them through the feed.
 */
export class OrganisationConfigStore {
  constructor(private readonly deps: TeamStoreDeps) {}

  /** The stored configuration; an empty one when none was saved. */
  async read(): Promise<OrganisationConfig> {
    await openTeamStore(this.deps);
    return configOf(await readOrganisation(this.deps.sql), await this.readJira());
  }

  private async readJira(): Promise<OrganisationConfig['jira']> {
    const raw = await this.deps.kv.get<unknown>(JIRA_TARGET_KEY);
    if (raw === undefined) return undefined;
    const parsed = v.safeParse(JiraTargetSchema, raw);
    if (!parsed.success)
      throw new Error(
        `The stored Jira project choice is unreadable (${parsed.issues[0].message}); save it again from the admin page`,
      );
    return parsed.output;
  }

  /**
   * Validates and saves a whole configuration. Refuses unknown department references (parent, manager or
   * up-line manager not among the people) so the verification rule never sees a dangling id, and a configuration
   * without an admin: someone must remain able to change it. On the very first save (nobody is an admin yet) the
   * person saving becomes the admin, added to the people if they are not there.
   */
  async save(input: unknown, by?: Saver): Promise<SaveResult> {
    const parsed = parseWith(OrganisationConfigSchema, input, 'organisation configuration');
    if (!parsed.ok) return parsed;
    const config = parsed.value;
    const errors = danglingReferences(config);
    if (errors.length > 0) return { ok: false, errors };
    await openTeamStore(this.deps);
    const before = await readOrganisation(this.deps.sql);
    const people = withFirstAdmin(config.people, before, by);
    if (!people.some((p) => p.admin === true))
      return {
        ok: false,
        errors: [
          {
            path: 'people',
            message:
              'must keep at least one admin of the team workspace (mark someone as admin before removing the last one)',
          },
        ],
      };
    const ops = [
      ...changes(this.deps, 'organisation', before.organisation ? [before.organisation] : [], [
        { id: 'organisation', ...config.organisation },
      ]),
      ...changes(this.deps, 'departments', before.departments, config.departments),
      ...changes(this.deps, 'people', before.people, people),
      ...changes(this.deps, 'cycles', before.cycles, config.cycles),
    ];
    if (ops.length > 0) {
      const { problems } = await applyAndReport(this.deps, by?.accountId ?? JIRA_APP_PERSON_ID, ops, {
        trusted: true,
      });
      if (problems.length > 0)
        return {
          ok: false,
          errors: problems.map((p) => ({
            path: p.opId.split(':')[1] ?? 'configuration',
            message: p.message,
          })),
        };
    }
    if (config.jira) await this.deps.kv.set(JIRA_TARGET_KEY, config.jira);
    else await this.deps.kv.delete(JIRA_TARGET_KEY);
    return { ok: true, config: await this.read() };
  }
}

/** The configuration a store holds, in a stable order: departments and people by name, cycles by start. */
function configOf(stored: StoredOrganisation, jira: OrganisationConfig['jira']): OrganisationConfig {
  const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
  const organisation = stored.organisation?.body;
  return {
    organisation: organisation
      ? { name: organisation.name, businessObjectives: organisation.businessObjectives }
      : DEFAULT_ORGANISATION,
    departments: stored.departments.map((d) => d.body).sort(byName),
    people: stored.people.map((p) => p.body).sort(byName),
    cycles: stored.cycles.map((c) => c.body).sort((a, b) => a.start.localeCompare(b.start)),
    ...(jira && { jira }),
  };
}

/** Department references to departments or people that do not exist, as field errors. */
function danglingReferences(config: OrganisationConfig): FieldError[] {
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
  return errors;
}

/** The people to store: as given, and on the very first save the saver made an admin (added if missing). */
function withFirstAdmin(
  people: readonly Person[],
  before: StoredOrganisation,
  by: Saver | undefined,
): Person[] {
  const first = !before.people.some((p) => p.body.admin === true);
  if (!first || by === undefined || people.some((p) => p.admin === true)) return [...people];
  const saver = people.find((p) => p.id === by.accountId);
  if (saver) return people.map((p) => (p === saver ? { ...p, admin: true } : p));
  return [
    ...people,
    {
      id: by.accountId,
      name: by.displayName ?? by.accountId,
      jiraAccountId: by.accountId,
      role: 'manager',
      admin: true,
    },
  ];
}

/** The operations turning the stored entities of a kind into the wanted ones: creates, changed fields, deletes. */
function changes(
  deps: TeamStoreDeps,
  kind: TeamKind,
  stored: ReadonlyArray<Stored<unknown>>,
  wanted: ReadonlyArray<{ id: string }>,
): TeamOp[] {
  const ops: TeamOp[] = [];
  const before = new Map(stored.map((s) => [s.id, s]));
  for (const entity of wanted) {
    const was = before.get(entity.id);
    const body = entity as unknown as Record<string, unknown>;
    const fields = diffBodies(kind, was?.body as Record<string, unknown> | undefined, body);
    if (Object.keys(fields).length === 0) continue;
    ops.push({
      opId: appOpId(deps, `admin:${kind}`),
      kind,
      id: entity.id,
      baseVersion: was?.version ?? 0,
      type: 'put',
      fields,
    });
  }
  const kept = new Set(wanted.map((w) => w.id));
  for (const s of stored)
    if (!kept.has(s.id))
      ops.push({
        opId: appOpId(deps, `admin:${kind}`),
        kind,
        id: s.id,
        baseVersion: s.version,
        type: 'delete',
      });
  return ops;
}

/** A display-name lookup over the configured people (an unknown account shows as its id). */
export function nameLookup(people: readonly Person[]): (id: string) => string {
  const names = new Map(people.map((p) => [p.id, p.name]));
  return (id) => names.get(id) ?? id;
}
