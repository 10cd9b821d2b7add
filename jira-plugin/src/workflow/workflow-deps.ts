import api from '@forge/api';
import { JiraClient } from '../jira-client/jira-client';
import { teamStoreDeps } from '../team-store/team-store';
import { GoalIssues } from './goal-issue';
import type { StepDeps } from './record-verification-step';

/** The production wiring of a workflow module: Jira as the app (post functions and triggers have no user session), the team store. */
export function workflowDeps(): StepDeps {
  return { goals: new GoalIssues(new JiraClient(api.asApp())), store: teamStoreDeps() };
}
