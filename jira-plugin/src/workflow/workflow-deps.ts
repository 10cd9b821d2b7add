import api from '@forge/api';
import kvs from '@forge/kvs';
import { JiraClient } from '../jira-client';
import { GoalIssues } from './goal-issue';
import { OrganisationConfigStore } from './organisation-config';
import type { StepDeps } from './record-verification-step';

/** The production wiring of a workflow module: Jira as the app (post functions and triggers have no user session), KVS. */
export function workflowDeps(): StepDeps {
  const store = new OrganisationConfigStore(kvs);
  return { goals: new GoalIssues(new JiraClient(api.asApp())), readConfig: () => store.read() };
}
