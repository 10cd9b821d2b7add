import {
  checkVerificationWorkflow,
  parseWith,
  type WorkflowCheck,
  WorkflowReadResponseSchema,
} from '@cxplan/core';
import { route } from '@forge/api';
import type { JiraClient, JiraRequester } from '../jira-client';

/**
 * Reads the workflow of the department-goal issue type (`POST /rest/api/3/workflows`, readWorkflows — the
 * non-deprecated read; scope `manage:jira-configuration`) and checks it against the verification workflow.
 * Kept here until the app's JiraClient has a `readWorkflows` method (requested in notes/requests.md); it is the
 * only REST path outside the client.
 */
export async function checkConfiguredWorkflow(
  requester: JiraRequester,
  client: JiraClient,
  jira: { projectKey: string; epicIssueTypeId: string },
): Promise<WorkflowCheck> {
  const project = await client.getProject(jira.projectKey);
  const body = JSON.stringify({
    projectAndIssueTypes: [{ projectId: project.id, issueTypeId: jira.epicIssueTypeId }],
  });
  const response = await requester.requestJira(route`/rest/api/3/workflows`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body,
  });
  if (!response.ok) {
    const text = await response.text();
    throw new Error(
      `Jira refused to read the workflow of ${jira.projectKey} (HTTP ${response.status}): ${text.slice(0, 300)}`,
    );
  }
  const parsed = parseWith(WorkflowReadResponseSchema, await response.json(), 'workflows');
  if (!parsed.ok)
    throw new Error(
      `Jira answered an unreadable workflow: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  return checkVerificationWorkflow(parsed.value);
}
