import { checkVerificationWorkflow, type WorkflowCheck } from '@cxplan/core';
import type { JiraClient } from '../jira-client/jira-client';

/** Where cxplan goals live: the configured project and the department-goal (epic) issue type. */
export interface GoalWorkflowTarget {
  readonly projectKey: string;
  readonly epicIssueTypeId: string;
}

/**
 * Reads the workflow of the department-goal issue type through the app's Jira client and checks it against the
 * verification workflow of docs/workflow.md.
 */
export async function checkGoalWorkflow(
  client: JiraClient,
  jira: GoalWorkflowTarget,
): Promise<WorkflowCheck> {
  const project = await client.getProject(jira.projectKey);
  return checkVerificationWorkflow(await client.readWorkflows(project.id, jira.epicIssueTypeId));
}
