import type { Department, Person, Role } from '../model/organisation';
import type { TeamKind } from './team-kinds';

/** Who is making a change, as the team workspace knows them (from their device, never from the request body). */
export interface Actor {
  /** The person's id in the team workspace (their Atlassian account id). */
  personId: string;
  name: string;
  /** Their role from the organisation configuration; a paired person not yet listed there counts as staff. */
  role: Role;
  admin: boolean;
}

/**
 * The person id the Jira app writes under when no person made the change: the Jira sync bringing back what it read
 * from Jira (a summary, a status, an issue link) and the one-time move of an older installation's data.
 */
export const JIRA_APP_PERSON_ID = 'jira';

/** The name shown for {@link JIRA_APP_PERSON_ID} ("changed by Jira"). */
export const JIRA_APP_NAME = 'Jira';

/** The actor for a person id, from the team's people (a person not listed is staff, not an admin). */
export function actorFor(personId: string, people: readonly Person[], fallbackName = personId): Actor {
  const person = people.find((p) => p.id === personId);
  return {
    personId,
    name: person?.name ?? (personId === JIRA_APP_PERSON_ID ? JIRA_APP_NAME : fallbackName),
    role: person?.role ?? 'staff',
    admin: person?.admin === true,
  };
}

/** What the rights rule needs to know about the team besides the change itself. */
export interface RightsView {
  departments: readonly Department[];
  /** The department of a department goal as the store holds it (an action belongs to its goal's department). */
  goalDepartment(goalId: string): string | undefined;
  /** The owner of a department goal as the store holds it. */
  goalOwner?(goalId: string): string | undefined;
  /** Who captured a clip (person id), as the store recorded it. */
  capturerOf?(evidenceId: string): string | undefined;
}

/** A change to one entity, as the rights rule sees it. */
export interface Change {
  kind: TeamKind;
  id: string;
  type: 'create' | 'update' | 'delete';
  /** The body before (absent for a create). */
  before?: Readonly<Record<string, unknown>> | undefined;
  /** The body after (absent for a delete). */
  after?: Readonly<Record<string, unknown>> | undefined;
  /** The versioned fields the change touches (see entity-fields.ts). */
  fields: readonly string[];
}

/** The rule's answer: allowed, or refused with a sentence naming who may. */
export type Permission = { ok: true } | { ok: false; message: string };

const allowed: Permission = { ok: true };
const refused = (message: string): Permission => ({ ok: false, message });

/** Clip fields anyone in the team may set: the tags. Text, origin and target are the capturer's. */
export const EVIDENCE_TAG_FIELDS: readonly string[] = [
  'sourceKind',
  'stageId',
  'eventId',
  'touchpointId',
  'sentiment',
  'drivers',
  'taggedAt',
  'segment',
  'intent',
];

/** Action fields its owner may change besides its department's head: progress, not the plan. */
export const ACTION_OWNER_FIELDS: readonly string[] = ['status', 'metric.readings'];

/** True when `personId` manages the department or one above it. */
export function managesDepartment(
  personId: string,
  departmentId: string | undefined,
  departments: readonly Department[],
): boolean {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const seen = new Set<string>();
  for (
    let d = departmentId ? byId.get(departmentId) : undefined;
    d;
    d = d.parentId ? byId.get(d.parentId) : undefined
  ) {
    if (seen.has(d.id)) break; // a cycle in the chart must not hang the rule
    seen.add(d.id);
    if (d.managerId === personId) return true;
  }
  return false;
}

const isLeader = (a: Actor): boolean => a.role === 'executive';
/** What only an admin changes, as a refusal names it. */
const ADMIN_THINGS = {
  stages: 'the customer framework (lifecycle stages)',
  events: 'the customer framework (customer events)',
  touchpoints: 'the customer framework (touchpoints)',
  organisation: "the organisation's details (cxplan admin page in Jira)",
  settings: 'the workspace settings',
  departments: 'the departments (cxplan admin page in Jira)',
  people: 'the people of the team (cxplan admin page in Jira)',
} as const;
const str = (body: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined => {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
};
const only = (fields: readonly string[], allowedFields: readonly string[]): boolean =>
  fields.every((f) => allowedFields.includes(f));

/**
 * The one rule of who may change what in the team workspace. The Jira app applies it to every change it
 * receives; the extension uses it to offer only what the person may do.
 *
 * - everyone paired adds clips and tags any clip; a clip's text, origin and target are its capturer's (or an
 *   admin's), and so is deleting it;
 * - a department's head (the manager of it or of a department above it) writes its goals and actions; an
 *   action's owner records its status and check-ins, a goal's owner its check-ins; leaders check in on anything;
 * - leaders (executives) write organisation goals and start cycles; sessions are run by leaders and department
 *   heads, and each person adds only their own acknowledgement; a contribution is its executive's own;
 * - admins edit the customer framework (stages, events, touchpoints), the organisation, settings, departments and
 *   people (the admin page names who administers the team workspace);
 * - a goal's verification is never changed through a replica: every step is a Jira workflow transition.
 */
export function may(actor: Actor, change: Change, view: RightsView): Permission {
  const body = change.after ?? change.before;
  switch (change.kind) {
    case 'evidence': {
      if (change.type === 'create') return allowed;
      const origin = change.before?.origin as Readonly<Record<string, unknown>> | undefined;
      const capturer = view.capturerOf?.(change.id) ?? str(origin, 'capturedById');
      const own = capturer === actor.personId || actor.admin;
      if (change.type === 'delete')
        return own ? allowed : refused('Only the person who captured a clip (or an admin) may delete it');
      if (only(change.fields, EVIDENCE_TAG_FIELDS) || own) return allowed;
      return refused(
        'Anyone may tag a clip, but only the person who captured it (or an admin) may change its text or source',
      );
    }
    case 'stages':
    case 'events':
    case 'touchpoints':
    case 'organisation':
    case 'settings':
    case 'departments':
    case 'people':
      return actor.admin
        ? allowed
        : refused(
            `Only an admin of the team workspace may change ${ADMIN_THINGS[change.kind]} (Jira app, cxplan admin page)`,
          );
    case 'cycles':
      return isLeader(actor) || actor.admin
        ? allowed
        : refused('Only a leader or an admin may start or change a cycle');
    case 'orgGoals':
      if (isLeader(actor) || actor.admin) return allowed;
      if (change.type === 'update' && only(change.fields, ['metric.readings']))
        return refused('Only a leader may check in on an organisation goal');
      return refused('Only a leader may set or change an organisation goal');
    case 'deptGoals': {
      const departments = [str(change.before, 'departmentId'), str(change.after, 'departmentId')].filter(
        (d): d is string => d !== undefined,
      );
      const head =
        departments.length > 0 &&
        departments.every((d) => managesDepartment(actor.personId, d, view.departments));
      if (head) return allowed;
      const owner = str(body, 'ownerId') === actor.personId;
      if (change.type === 'update' && only(change.fields, ['metric.readings']) && (owner || isLeader(actor)))
        return allowed;
      return refused(`Only the head of ${departmentName(departments[0], view)} may change its goals`);
    }
    case 'actions': {
      const goals = [str(change.before, 'deptGoalId'), str(change.after, 'deptGoalId')].filter(
        (g): g is string => g !== undefined,
      );
      const departments = goals.map((g) => view.goalDepartment(g));
      if (departments.some((d) => d === undefined))
        return refused('The action names a department goal the team workspace does not have');
      const head = departments.every((d) => managesDepartment(actor.personId, d, view.departments));
      if (head) return allowed;
      if (change.type === 'update') {
        const owner = str(change.before, 'ownerId') === actor.personId;
        if (owner && only(change.fields, ACTION_OWNER_FIELDS)) return allowed;
        if (isLeader(actor) && only(change.fields, ['metric.readings'])) return allowed;
      }
      return refused(
        `Only the head of ${departmentName(departments[0], view)} may plan its actions; an action's owner may update its status and check in`,
      );
    }
    case 'sessions': {
      const runs = isLeader(actor) || view.departments.some((d) => d.managerId === actor.personId);
      if (runs) return allowed;
      if (change.type === 'update' && only(change.fields, ['acknowledgements'])) {
        const before = new Set(acknowledgers(change.before));
        const added = acknowledgers(change.after).filter((p) => !before.has(p));
        if (added.every((p) => p === actor.personId)) return allowed;
        return refused('Each person acknowledges the plan for themselves only');
      }
      return refused(
        'Only leaders and department heads run sessions; everyone else may acknowledge the plan',
      );
    }
    case 'contributions':
      return str(body, 'personId') === actor.personId || isLeader(actor)
        ? allowed
        : refused("A contribution is its executive's own statement");
  }
}

function acknowledgers(body: Readonly<Record<string, unknown>> | undefined): string[] {
  const acks = body?.acknowledgements;
  return Array.isArray(acks) ? acks.map((a) => String((a as { personId?: unknown }).personId)) : [];
}

function departmentName(id: string | undefined, view: RightsView): string {
  const name = view.departments.find((d) => d.id === id)?.name;
  return name === undefined ? 'its department' : `the ${name} department`;
}
