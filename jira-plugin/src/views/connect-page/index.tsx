import { StrictMode } from 'react';
import { renderApp } from '../render-app';
import { ConnectPage } from './connect-page';

// The UI Kit resource of the `jira:globalPage` module "Connect a browser".
renderApp(
  <StrictMode>
    <ConnectPage />
  </StrictMode>,
);
