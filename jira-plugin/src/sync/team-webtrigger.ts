import kvs from '@forge/kvs';
import { createTeamEndpoint } from '../team-store/team-endpoint';
import { teamStoreDeps } from '../team-store/team-store';
import { syncQueue } from './sync-deps';
import { JIRA_MIRRORED_KINDS, requestPlanSync } from './sync-request';

/**
 * The `cxplan-team` web trigger's function (dynamic response): the team sync endpoint with Forge SQL and KVS.
 * Everything it does is in {@link createTeamEndpoint}; like every entry point, its first request after an upgrade
 * sets the store up (migrations, the one-time move of older KVS data). A push that changed the plan asks for a Jira
 * sync on the queue, so a goal saved in a browser becomes its epic within about a minute.
 */
export const handler = createTeamEndpoint({
  ...teamStoreDeps(),
  onPushed: async (kinds) => {
    if ([...kinds].some((kind) => JIRA_MIRRORED_KINDS.has(kind)))
      await requestPlanSync(kvs, syncQueue(), Date.now);
  },
});
