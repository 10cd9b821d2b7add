import type { WorkflowCheck } from '@cxplan/core';
import api from '@forge/api';
import Resolver from '@forge/resolver';
import { JiraClient } from '../jira-client/jira-client';
import { teamStoreDeps } from '../team-store/team-store';
import {
  type OrganisationConfig,
  OrganisationConfigStore,
  type Saver,
} from '../workflow/organisation-config';
import { checkGoalWorkflow } from '../workflow/workflow-reader';
import { type Answer, answer } from './answer';

/** What the admin resolver needs. */
export interface AdminDeps {
  config: OrganisationConfigStore;
  /** The signed-in admin as Jira knows them (their display name names them if the first save adds them). */
  whoAmI(accountId: string): Promise<Saver>;
  checkWorkflow(jira: NonNullable<OrganisationConfig['jira']>): Promise<WorkflowCheck>;
}

/** What the admin page loads. */
export interface AdminState {
  config: OrganisationConfig;
  /** The signed-in account. */
  me: string;
  /** True while nobody administers the team workspace: the first save makes the person saving its admin. */
  firstSave: boolean;
}

function accountOf(context: { accountId?: unknown }): string {
  if (typeof context.accountId !== 'string' || context.accountId === '')
    throw new Error('Jira did not say who you are; open this page signed in.');
  return context.accountId;
}

/** The admin page's resolver: organisation, departments, people and admins, cycles, Jira project, workflow check. */
export function adminResolver(makeDeps: () => AdminDeps): Resolver {
  const resolver = new Resolver();
  resolver.define('getAdminState', ({ context }) =>
    answer(async (): Promise<AdminState> => {
      const config = await makeDeps().config.read();
      return { config, me: accountOf(context), firstSave: !config.people.some((p) => p.admin === true) };
    }),
  );
  resolver.define('saveOrganisation', async ({ payload, context }): Promise<Answer<OrganisationConfig>> => {
    try {
      const deps = makeDeps();
      const saved = await deps.config.save(
        (payload as { config?: unknown }).config,
        await deps.whoAmI(accountOf(context)),
      );
      if (saved.ok) return { ok: true, value: saved.config };
      return {
        ok: false,
        message: `Not saved: ${saved.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        errors: saved.errors,
      };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  });
  resolver.define('checkWorkflow', () =>
    answer(async (): Promise<WorkflowCheck> => {
      const deps = makeDeps();
      const { jira } = await deps.config.read();
      if (!jira) throw new Error('Choose the Jira project and issue types first, then check the workflow.');
      return deps.checkWorkflow(jira);
    }),
  );
  return resolver;
}

/** Production wiring: the team store, and Jira as the admin viewing the page. */
export function adminDeps(): AdminDeps {
  return {
    config: new OrganisationConfigStore(teamStoreDeps()),
    whoAmI: async (accountId) => {
      const me = await new JiraClient(api.asUser()).getMyself().catch(() => undefined);
      return { accountId, displayName: me?.accountId === accountId ? me.displayName : undefined };
    },
    checkWorkflow: (jira) => checkGoalWorkflow(new JiraClient(api.asUser()), jira),
  };
}

/** The `function` module behind the admin page. */
export const handler = adminResolver(adminDeps).getDefinitions();
