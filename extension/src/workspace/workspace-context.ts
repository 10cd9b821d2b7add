import {
  actorFor,
  type Change,
  type EntityKind,
  type Finding,
  type HeatMap,
  may,
  type Permission,
  type PlanWorkspace,
  type Workspace,
} from '@cxplan/core';
import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import type { TeamStatus } from '../team-sync/sync-status';
import type { WorkspaceData, WorkspaceSnapshot } from './workspace-data';

/** The screens of the workspace, addressed by the URL hash (`dashboard.html#heatmap`). */
export const SCREENS = [
  ['home', 'Home'],
  ['inbox', 'Evidence inbox'],
  ['framework', 'Customer framework'],
  ['heatmap', 'Heat map'],
  ['touchpoints', 'Touchpoint map'],
  ['strategy', 'Strategy session'],
  ['goals', 'Department goals and actions'],
  ['progress', 'Progress'],
  ['checks', 'Plan checks'],
  ['commitment', 'Commitment session'],
  ['cycles', 'Cycles'],
  ['data', 'Data'],
  ['people', 'People and departments'],
] as const;

/** A screen's id. */
export type ScreenId = (typeof SCREENS)[number][0];

/**
 * The navigation, grouped by the process it serves (listen to customers, prioritise, plan, track, set up); Home
 * stands above the groups.
 */
export const NAV_GROUPS: readonly { label: string; screens: readonly ScreenId[] }[] = [
  { label: 'Listen', screens: ['inbox', 'heatmap', 'touchpoints'] },
  { label: 'Prioritise', screens: ['strategy'] },
  { label: 'Plan', screens: ['goals', 'commitment'] },
  { label: 'Track', screens: ['progress', 'checks', 'cycles'] },
  { label: 'Set up', screens: ['framework', 'people', 'data'] },
];

/** Where each kind of entity a plan-check finding (or a home-screen item) points at is fixed. */
export const FIX_SCREEN: Record<EntityKind, ScreenId> = {
  orgGoal: 'strategy',
  deptGoal: 'goals',
  action: 'goals',
  event: 'heatmap',
  department: 'people',
  person: 'people',
};

/** What every screen can read and do. */
export interface WorkspaceCtx {
  data: WorkspaceData;
  snap: WorkspaceSnapshot;
  /** The workspace without its evidence: what the plan-only analytics take (read on every reload). */
  ws: PlanWorkspace;
  /** The heat map, from the stored counts (no per-cell explanations: an opened cell reads its own rows). */
  heatMap: HeatMap;
  /**
   * The workspace with the evidence the row-based analytics read, once a screen asked for it (see
   * {@link useWorkspaceWithEvidence}); after a write it shows the last rows read until the new ones arrive.
   */
  withEvidence: Workspace | undefined;
  /** Starts reading that evidence (once per reload; later calls do nothing). */
  requestEvidence: () => void;
  /** The cycle being worked in (settings.currentCycleId, else the core's choice). */
  cycleId: string | undefined;
  /** The cycle's plan-check findings, once a screen has asked for the evidence they read; else undefined. */
  findings: readonly Finding[] | undefined;
  actingAs: string | undefined;
  setActingAs: (personId: string | undefined) => void;
  /** Evidence ids picked to be cited by an organisation goal (from the inbox or a heat-map cell). */
  citations: readonly string[];
  setCitations: (ids: readonly string[]) => void;
  /** Re-reads the workspace after a write. */
  reload: () => Promise<void>;
  /** Goes to a screen, optionally pointing at one entity (plan-check links). */
  go: (screen: ScreenId, focusId?: string) => void;
  focusId: string | undefined;
  /** ISO now (one clock for the whole page render). */
  now: string;
  /** Where this browser stands with the team workspace. */
  team: TeamStatus;
  /**
   * Whether the person may make a change, by the one rights rule the team applies (always yes in a browser used
   * alone, where there is nobody else to ask); screens offer only what is allowed and say who may do the rest.
   */
  may: (change: Omit<Change, 'id'> & { id?: string }) => Permission;
}

/** The rights check for a workspace: the core's `may` for the connected person, open for a browser used alone. */
export function permissionsFor(team: TeamStatus, ws: PlanWorkspace): WorkspaceCtx['may'] {
  if (!team.connected) return () => ({ ok: true });
  const actor = actorFor(team.connection.member.personId, ws.people, team.connection.member.name);
  // The team's word on role and admin wins over a people list this replica has not refreshed yet.
  const me = { ...actor, role: team.connection.member.role, admin: team.connection.member.admin };
  const view = {
    departments: ws.departments,
    goalDepartment: (goalId: string) => ws.deptGoals.find((g) => g.id === goalId)?.departmentId,
  };
  return (change) => may(me, { id: '', ...change }, view);
}

/** The React-style context carrying {@link WorkspaceCtx}. */
export const WorkspaceContext = createContext<WorkspaceCtx | null>(null);

/** The workspace context; screens are only rendered inside the provider. */
export function useWorkspace(): WorkspaceCtx {
  const ctx = useContext(WorkspaceContext);
  if (ctx === null) throw new Error('useWorkspace outside WorkspaceContext');
  return ctx;
}

/**
 * The workspace with its evidence, for screens whose analytics read evidence rows (plan checks, touchpoint gaps,
 * the commitment overview). Reading 100k rows takes about a second, so it is read only when such a screen is
 * open, never to open the dashboard; undefined until it has been read.
 */
export function useWorkspaceWithEvidence(): Workspace | undefined {
  const { withEvidence, requestEvidence } = useWorkspace();
  useEffect(() => requestEvidence(), [requestEvidence]);
  return withEvidence;
}

/** A person's display name (the id when the person is unknown). */
export function personName(snap: WorkspaceSnapshot, id: string | undefined): string {
  if (id === undefined) return '—';
  return snap.people.find((p) => p.id === id)?.name ?? id;
}
