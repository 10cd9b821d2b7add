import kvs from '@forge/kvs';
import { sql } from '@forge/sql';
import { ensureSchema } from './setup';

/**
 * Runs the team store's migrations when the app is installed or upgraded (Forge's life-cycle events
 * avi:forge:installed:app and avi:forge:upgraded:app, developer.atlassian.com/platform/forge/events-reference/life-cycle),
 * so the first browser to connect rarely meets "setting up". Requests check readiness themselves as well.
 */
export async function handler(): Promise<void> {
  const ready = await ensureSchema({ sql, kv: kvs });
  if (!ready) console.warn('cxplan: another invocation is setting up the team store');
}
