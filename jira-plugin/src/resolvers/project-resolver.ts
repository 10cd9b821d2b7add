import Resolver from '@forge/resolver';
import { cyclesWithGoals, live, readCyclePlan } from '../team-store/plan-reads';
import { type TeamStoreDeps, teamStoreDeps } from '../team-store/team-store';
import { type OrganisationConfig, OrganisationConfigStore } from '../workflow/organisation-config';
import { type Answer, answer } from './answer';
import { type ProjectPlanView, projectPlanView } from './project-plan-view';

/** What the project page's resolver reads. */
export interface ProjectDeps {
  store: TeamStoreDeps;
  now(): Date;
}

/**
 * The cycle the page opens on: the active cycle that started last, else the newest cycle holding department goals
 * (a plan whose cycle the admin has not described yet still shows).
 */
export async function currentCycleId(
  store: TeamStoreDeps,
  config: OrganisationConfig,
): Promise<string | undefined> {
  const active = config.cycles
    .filter((c) => c.status === 'active')
    .sort((a, b) => b.start.localeCompare(a.start));
  if (active[0]) return active[0].id;
  return (await cyclesWithGoals(store.sql)).sort().at(-1);
}

/** The project page's resolver: the plan of a cycle from the team store (the current one unless the page picked another). */
export function projectResolver(makeDeps: () => ProjectDeps): Resolver {
  const resolver = new Resolver();
  resolver.define(
    'getProjectPlan',
    ({ payload }): Promise<Answer<ProjectPlanView>> =>
      answer(async () => {
        const deps = makeDeps();
        const config = await new OrganisationConfigStore(deps.store).read();
        const requested = (payload as { cycleId?: unknown }).cycleId;
        const cycleId =
          typeof requested === 'string' && requested !== ''
            ? requested
            : await currentCycleId(deps.store, config);
        const stored = cycleId ? await readCyclePlan(deps.store.sql, cycleId) : undefined;
        const plan = stored && {
          cycleId: stored.cycleId,
          orgGoals: live(stored.orgGoals),
          deptGoals: live(stored.deptGoals),
          actions: live(stored.actions),
        };
        return projectPlanView(config, plan, cycleId, deps.now().toISOString());
      }),
  );
  return resolver;
}

/** Production wiring: the team store. */
export function projectDeps(): ProjectDeps {
  return { store: teamStoreDeps(), now: () => new Date() };
}

/** The `function` module behind the project page. */
export const handler = projectResolver(projectDeps).getDefinitions();
