import { StrictMode } from 'react';
import { renderApp } from '../render-app';
import { IssuePanel } from './issue-panel';

// The UI Kit resource of the `jira:issuePanel` and `jira:issueContext` modules (same view, two places).
renderApp(
  <StrictMode>
    <IssuePanel />
  </StrictMode>,
);
