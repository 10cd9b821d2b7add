import type { Workspace } from '@cxplan/core';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { EvidenceRow } from '../storage/evidence-row';
import type { WorkspaceData, WorkspaceSnapshot } from './workspace-data';

/** The screens of the workspace, addressed by the URL hash (`dashboard.html#heatmap`). */
export const SCREENS = [
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

/** What every screen can read and do. */
export interface WorkspaceCtx {
  data: WorkspaceData;
  snap: WorkspaceSnapshot;
  /** The evidence placed on events (for the analytics), loaded in bulk once per reload. */
  evidence: readonly EvidenceRow[];
  /** The snapshot plus that evidence: what the core's analytics take. */
  ws: Workspace;
  /** The cycle being worked in (settings.currentCycleId, else the core's choice). */
  cycleId: string | undefined;
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
}

/** The React-style context carrying {@link WorkspaceCtx}. */
export const WorkspaceContext = createContext<WorkspaceCtx | null>(null);

/** The workspace context; screens are only rendered inside the provider. */
export function useWorkspace(): WorkspaceCtx {
  const ctx = useContext(WorkspaceContext);
  if (ctx === null) throw new Error('useWorkspace outside WorkspaceContext');
  return ctx;
}

/** A person's display name (the id when the person is unknown). */
export function personName(snap: WorkspaceSnapshot, id: string | undefined): string {
  if (id === undefined) return '—';
  return snap.people.find((p) => p.id === id)?.name ?? id;
}
