import kvs from '@forge/kvs';
import Resolver from '@forge/resolver';
import { PlanStore } from '../plan-store';
import { OrganisationConfigStore } from '../workflow/organisation-config';
import { type Answer, answer } from './answer';
import { type ProjectPlanView, projectPlanView } from './project-plan-view';

/** What the project page's resolver reads. */
export interface ProjectDeps {
  config: OrganisationConfigStore;
  plans: PlanStore;
  now(): Date;
}

/** The project page's resolver: the plan of a cycle (the current one unless the page picked another). */
export function projectResolver(makeDeps: () => ProjectDeps): Resolver {
  const resolver = new Resolver();
  resolver.define(
    'getProjectPlan',
    ({ payload }): Promise<Answer<ProjectPlanView>> =>
      answer(async () => {
        const deps = makeDeps();
        const requested = (payload as { cycleId?: unknown }).cycleId;
        const cycleId =
          typeof requested === 'string' && requested !== '' ? requested : await deps.plans.currentCycleId();
        const config = await deps.config.read();
        const plan = cycleId ? await deps.plans.load(cycleId) : undefined;
        return projectPlanView(config, plan, cycleId, deps.now().toISOString());
      }),
  );
  return resolver;
}

/** Production wiring: Forge KVS. */
export function projectDeps(): ProjectDeps {
  return { config: new OrganisationConfigStore(kvs), plans: new PlanStore(kvs), now: () => new Date() };
}

/** The `function` module behind the project page. */
export const handler = projectResolver(projectDeps).getDefinitions();
