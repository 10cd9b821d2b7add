import ForgeReconciler from '@forge/react';
import { StrictMode } from 'react';
import { AdminPage } from './admin-page';

// The UI Kit resource of the `jira:adminPage` module: Forge loads this file and renders into the host page.
ForgeReconciler.render(
  <StrictMode>
    <AdminPage />
  </StrictMode>,
);
