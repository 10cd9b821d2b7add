import { StrictMode } from 'react';
import { renderApp } from '../render-app';
import { ProjectPage } from './project-page';

// The UI Kit resource of the `jira:projectPage` module.
renderApp(
  <StrictMode>
    <ProjectPage />
  </StrictMode>,
);
