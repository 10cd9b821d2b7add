import type { IngestPerson, Person } from '@cxplan/core';
import type { StorageService } from './storage/storage-service';

/**
 * The people a batch carries so the Jira app can turn goal and action owners (extension person ids) into
 * Atlassian account ids (see shared/src/ingest/README.md, "People").
 */

/** The owner a goal's or action's envelope names, if any. */
export function ownerIdOf(envelope: { kind: string; payload: unknown }): string | undefined {
  const p = envelope.payload as { goal?: { ownerId?: string }; action?: { ownerId?: string } };
  if (envelope.kind === 'deptGoal') return p.goal?.ownerId;
  if (envelope.kind === 'action') return p.action?.ownerId;
  return undefined;
}

/**
 * The wire entry of a person. Data minimisation: only what the Jira app needs to find their account (id, name,
 * e-mail, account id) — never their role or department — and only for people a sent goal or action names.
 */
export function toIngestPerson(person: Person): IngestPerson {
  return {
    id: person.id,
    name: person.name,
    ...(person.email !== undefined && { email: person.email }),
    ...(person.jiraAccountId !== undefined && { jiraAccountId: person.jiraAccountId }),
  };
}

/**
 * Reads owners from the `people` table (parsed with the core schema), once per id per drain. An owner who is not
 * stored, or whose row does not parse, is left out: the Jira app then looks the id up in its own organisation and
 * rejects the item naming `payload.goal.ownerId` / `payload.action.ownerId` if it is unknown there too.
 */
export function ownerReader(storage: StorageService): (ownerId: string) => Promise<IngestPerson | undefined> {
  const seen = new Map<string, Promise<IngestPerson | undefined>>();
  return (ownerId) => {
    let found = seen.get(ownerId);
    if (!found) {
      found = storage.get('people', ownerId).then(
        (person) => person && toIngestPerson(person),
        (error: unknown) => {
          console.warn(`cxplan: owner ${ownerId} is not sent with the plan: ${String(error)}`);
          return undefined;
        },
      );
      seen.set(ownerId, found);
    }
    return found;
  };
}

/** The distinct owners of a batch's items, in first-mention order (no one else is sent). */
export function batchPeople(owners: ReadonlyArray<IngestPerson | undefined>): IngestPerson[] {
  const byId = new Map<string, IngestPerson>();
  for (const owner of owners) if (owner && !byId.has(owner.id)) byId.set(owner.id, owner);
  return [...byId.values()];
}
