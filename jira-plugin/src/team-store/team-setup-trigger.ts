import { ensureSchema } from './setup';
import { setupDeps, teamStoreDeps } from './team-store';

/**
 * Sets the team store up when the app is installed or upgraded (Forge's life-cycle events
 * avi:forge:installed:app and avi:forge:upgraded:app, developer.atlassian.com/platform/forge/events-reference/life-cycle):
 * runs the schema migrations and moves an older installation's KVS data in, so the first browser to connect rarely
 * meets "setting up". Every request checks readiness itself as well, and continues a move this one could not finish.
 */
export async function handler(): Promise<void> {
  const ready = await ensureSchema(setupDeps(teamStoreDeps()));
  if (!ready) console.warn('cxplan: the team store is still being set up; the next request continues');
}
