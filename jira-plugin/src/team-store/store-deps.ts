import type { Sql } from './sql';
import type { TeamKvs } from './team-kvs';

/**
 * The team store as the Jira side uses it: the admin page, the Jira sync, the workflow modules, the issue panel
 * and the project page all read it and write it through {@link applyOps}, as the app (`system`: issue links,
 * verification) or as the Jira user Jira says made a change (`trusted`).
 */
export interface TeamStoreDeps {
  sql: Sql;
  kv: TeamKvs;
  now: () => number;
  newId: () => string;
}
