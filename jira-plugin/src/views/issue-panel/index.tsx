import ForgeReconciler from '@forge/react';
import { StrictMode } from 'react';
import { IssuePanel } from './issue-panel';

// The UI Kit resource of the `jira:issuePanel` and `jira:issueContext` modules (same view, two places).
ForgeReconciler.render(
  <StrictMode>
    <IssuePanel />
  </StrictMode>,
);
