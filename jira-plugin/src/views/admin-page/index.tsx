import { StrictMode } from 'react';
import { renderApp } from '../render-app';
import { AdminPage } from './admin-page';

// The UI Kit resource of the `jira:adminPage` module: Forge loads this file and renders into the host page.
renderApp(
  <StrictMode>
    <AdminPage />
  </StrictMode>,
);
