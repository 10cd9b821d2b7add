import { type FieldPatch, patchBody } from './entity-fields';
import type { TeamKind } from './team-kinds';
import type { TeamChange } from './team-protocol';

/**
 * The replica's side of the merge: which pulled changes it keeps, and how its own changes not yet acknowledged are
 * shown on top of the team's state. Pure, so the extension and the tests use the same rules.
 */

/**
 * True when a pulled change is newer than what the replica holds. Versions only grow, so applying the newest of
 * any set of changes, in any order and with repeats, ends in the same state: a pull that overlaps an earlier one
 * (the feed's safety window) writes nothing twice.
 */
export function isNewer(localVersion: number | undefined, change: Pick<TeamChange, 'version'>): boolean {
  return change.version > (localVersion ?? 0);
}

/**
 * The body a replica shows for an entity: the team's current body with the person's own pending changes on top
 * (in the order they were made). A deleted entity stays deleted: a pending edit of it will be refused as `gone`
 * and shown to its author.
 */
export function rebase(
  kind: TeamKind,
  teamBody: Readonly<Record<string, unknown>> | undefined,
  pending: readonly FieldPatch[],
): Record<string, unknown> | undefined {
  if (teamBody === undefined) return undefined;
  return pending.reduce<Record<string, unknown>>((body, patch) => patchBody(kind, body, patch), {
    ...teamBody,
  });
}

/**
 * Folds a new local change into the change still waiting to be pushed for the same entity: the newest value of
 * each field wins, set fields keep every member added. The base version stays the older one, so the store still
 * sees which fields others changed since the person last looked.
 */
export function coalescePatches(waiting: Readonly<FieldPatch>, next: Readonly<FieldPatch>): FieldPatch {
  return { ...waiting, ...next };
}
