import * as v from 'valibot';
import type { ParseResult } from '../io/parse';
import { type Person, PersonSchema } from '../model/organisation';

/**
 * A person a batch refers to, as the extension knows them: its own person id and, when known, the Atlassian
 * account id (`Person.jiraAccountId`) and e-mail. Sent once per batch in `people`, not inside each goal.
 */
export const IngestPersonSchema = v.object({
  id: PersonSchema.entries.id,
  name: v.optional(PersonSchema.entries.name),
  email: PersonSchema.entries.email,
  jiraAccountId: PersonSchema.entries.jiraAccountId,
});
/** A person a batch refers to. */
export type IngestPerson = v.InferOutput<typeof IngestPersonSchema>;

/** How an extension person id was turned into an account id, or why it could not be. */
export type AccountLookup =
  | { readonly ok: true; readonly accountId: string; readonly via: 'batch' | 'organisation' | 'email' }
  | { readonly ok: false; readonly message: string };

/**
 * Finds the Atlassian account id of a person the extension names by its own id. In order: the batch's own
 * `people` entry with a `jiraAccountId`; a person of the Jira app's organisation whose id or account id is that id
 * (there a person's id is the account id, so an extension that uses account ids as person ids needs nothing
 * more); the organisation's person with the batch person's e-mail. Anything else is not guessed.
 */
export function lookUpAccountId(
  personId: string,
  batchPeople: readonly IngestPerson[],
  organisationPeople: readonly Person[],
): AccountLookup {
  const sent = batchPeople.find((p) => p.id === personId);
  if (sent?.jiraAccountId) return { ok: true, accountId: sent.jiraAccountId, via: 'batch' };
  const known = organisationPeople.find((p) => p.id === personId || p.jiraAccountId === personId);
  if (known) return { ok: true, accountId: known.jiraAccountId ?? known.id, via: 'organisation' };
  const email = sent?.email?.toLowerCase();
  const byEmail = email ? organisationPeople.find((p) => p.email?.toLowerCase() === email) : undefined;
  if (byEmail) return { ok: true, accountId: byEmail.jiraAccountId ?? byEmail.id, via: 'email' };
  const who = sent?.name ? `${sent.name} (${personId})` : personId;
  return {
    ok: false,
    message: sent
      ? `person ${who} has no Jira account: give them their Atlassian account in the extension, or add them (same e-mail) on the cxplan admin page`
      : `person ${personId} is not in the batch's people and not in the Jira app's organisation, so their Jira account is unknown`,
  };
}

/**
 * Replaces an entity's `ownerId` (an extension person id) with the owner's account id, the id every person has
 * in the Jira app. `path` names the field in errors (e.g. `payload.goal.ownerId`). An entity without an owner
 * is returned unchanged.
 */
export function ownerToAccountId<T extends { readonly ownerId?: string | undefined }>(
  entity: T,
  path: string,
  batchPeople: readonly IngestPerson[],
  organisationPeople: readonly Person[],
): ParseResult<T> {
  if (entity.ownerId === undefined) return { ok: true, value: entity };
  const found = lookUpAccountId(entity.ownerId, batchPeople, organisationPeople);
  if (!found.ok) return { ok: false, errors: [{ path, message: `${path}: ${found.message}` }] };
  return { ok: true, value: { ...entity, ownerId: found.accountId } };
}
