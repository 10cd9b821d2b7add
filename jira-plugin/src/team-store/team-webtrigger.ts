import { createTeamEndpoint } from './team-endpoint';
import { teamStoreDeps } from './team-store';

/**
 * The `cxplan-team` web trigger's function (dynamic response): the team sync endpoint with Forge SQL and KVS.
 * Everything it does is in {@link createTeamEndpoint}; like every entry point, its first request after an upgrade
 * sets the store up (migrations, the one-time move of older KVS data).
 */
export const handler = createTeamEndpoint(teamStoreDeps());
