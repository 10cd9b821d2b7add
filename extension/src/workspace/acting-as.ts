/**
 * "Acting as": which person of the workspace is using this browser. Verification needs to know who submits,
 * verifies or rejects, and the core's who-may-verify rule decides with that person's id. It is a choice per
 * browser profile (kept in the extension origin's localStorage, shared by the dashboard and the side panel), not
 * a login: the local workspace has no accounts, and Jira enforces identity with real accounts when connected.
 */
const KEY = 'cxplan.actingAs';

/** The person id this browser acts as, if one was chosen. */
export function readActingAs(): string | undefined {
  return localStorage.getItem(KEY) ?? undefined;
}

/** Chooses (or clears, with undefined) the person this browser acts as. */
export function writeActingAs(personId: string | undefined): void {
  if (personId === undefined) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, personId);
}
