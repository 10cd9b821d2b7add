import kvs from '@forge/kvs';
import { sql } from '@forge/sql';
import { createTeamEndpoint } from './team-endpoint';

/**
 * The `cxplan-team` web trigger's function (dynamic response): the team sync endpoint with Forge SQL and KVS.
 * Everything it does is in {@link createTeamEndpoint}.
 */
export const handler = createTeamEndpoint({ sql, kv: kvs });
