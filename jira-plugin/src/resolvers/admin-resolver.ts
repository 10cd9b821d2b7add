import type { WorkflowCheck } from '@cxplan/core';
import api from '@forge/api';
import kvs from '@forge/kvs';
import Resolver from '@forge/resolver';
import {
  generateIngestSecret,
  type IngestSecretShownOnce,
  type IngestSecretStatus,
  ingestSecretStatus,
  rotateIngestSecret,
} from '../ingest/ingest-secret';
import { ingestTriggerUrl } from '../ingest/ingest-trigger-url';
import { JiraClient } from '../jira-client';
import { type OrganisationConfig, OrganisationConfigStore } from '../workflow/organisation-config';
import { checkGoalWorkflow } from '../workflow/workflow-reader';
import { type Answer, answer } from './answer';

/** The ingest secret operations the admin page uses (owned by the ingest module; injected for tests). */
export interface IngestSecrets {
  status(): Promise<IngestSecretStatus>;
  generate(): Promise<IngestSecretShownOnce>;
  rotate(): Promise<IngestSecretShownOnce>;
  /** The ingest web trigger's URL for this installation (pasted into the extension with the secret). */
  triggerUrl(): Promise<string>;
}

/** What the admin resolver needs. */
export interface AdminDeps {
  config: OrganisationConfigStore;
  secrets: IngestSecrets;
  checkWorkflow(jira: NonNullable<OrganisationConfig['jira']>): Promise<WorkflowCheck>;
}

/** What the admin page loads. */
export interface AdminState {
  config: OrganisationConfig;
  secret: IngestSecretStatus;
  /** Undefined when Forge could not give it (the page says so). */
  triggerUrl: string | undefined;
}

/** The admin page's resolver: organisation and departments, Jira project, workflow check, ingest secret. */
export function adminResolver(makeDeps: () => AdminDeps): Resolver {
  const resolver = new Resolver();
  resolver.define('getAdminState', () =>
    answer(async (): Promise<AdminState> => {
      const deps = makeDeps();
      const triggerUrl = await deps.secrets.triggerUrl().catch(() => undefined);
      return { config: await deps.config.read(), secret: await deps.secrets.status(), triggerUrl };
    }),
  );
  resolver.define('saveOrganisation', async ({ payload }): Promise<Answer<OrganisationConfig>> => {
    const saved = await makeDeps().config.save((payload as { config?: unknown }).config);
    if (saved.ok) return { ok: true, value: saved.config };
    return {
      ok: false,
      message: `Not saved: ${saved.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors: saved.errors,
    };
  });
  resolver.define('checkWorkflow', () =>
    answer(async (): Promise<WorkflowCheck> => {
      const deps = makeDeps();
      const { jira } = await deps.config.read();
      if (!jira) throw new Error('Choose the Jira project and issue types first, then check the workflow.');
      return deps.checkWorkflow(jira);
    }),
  );
  resolver.define('generateSecret', () => answer(() => makeDeps().secrets.generate()));
  resolver.define('rotateSecret', () => answer(() => makeDeps().secrets.rotate()));
  return resolver;
}

/** Production wiring: KVS, the ingest secret module, and Jira as the admin viewing the page. */
export function adminDeps(): AdminDeps {
  return {
    config: new OrganisationConfigStore(kvs),
    secrets: {
      status: () => ingestSecretStatus(kvs),
      generate: () => generateIngestSecret(kvs),
      rotate: () => rotateIngestSecret(kvs),
      triggerUrl: ingestTriggerUrl,
    },
    checkWorkflow: (jira) => checkGoalWorkflow(new JiraClient(api.asUser()), jira),
  };
}

/** The `function` module behind the admin page. */
export const handler = adminResolver(adminDeps).getDefinitions();
