import { computeHeatMapFromCounts, type HeatMapCount, resolveCycle } from '@cxplan/core';
import { Dexie } from 'dexie';
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { hasSampleWorkspace, loadSampleWorkspace, removeSampleWorkspace } from '../sample/sample-workspace';
import type { EvidenceRow } from '../storage/evidence-row';
import type { TeamStatus } from '../team-sync/sync-status';
import { ActingAsSelect } from './ActingAsSelect';
import { readActingAs, writeActingAs } from './acting-as';
import { FirstRun, isEmptyWorkspace } from './FirstRun';
import { SCREEN_COMPONENTS } from './screens/index';
import { TeamBadge, TeamNotices } from './TeamBar';
import {
  permissionsFor,
  SCREENS,
  type ScreenId,
  WorkspaceContext,
  type WorkspaceCtx,
} from './workspace-context';
import { citedEvidenceIds, type WorkspaceData, type WorkspaceSnapshot } from './workspace-data';

function screenFromHash(): { screen: ScreenId; focusId: string | undefined } {
  const [name, focus] = location.hash.replace(/^#/, '').split('/');
  const known = SCREENS.find(([id]) => id === name);
  return {
    screen: known?.[0] ?? 'inbox',
    focusId: focus === undefined ? undefined : decodeURIComponent(focus),
  };
}

/**
 * The planning workspace: navigation, the "acting as" choice, the sample-workspace banner and the current
 * screen. `compact` is the side panel's layout (fewer screens, one column).
 */
export function WorkspaceApp({
  data,
  compact = false,
}: {
  data: WorkspaceData;
  compact?: boolean;
}): JSX.Element {
  const [snap, setSnap] = useState<WorkspaceSnapshot | undefined>();
  const [counts, setCounts] = useState<readonly HeatMapCount[]>([]);
  // Bumped by every reload: evidence rows read for an older generation are shown until the new ones arrive.
  const [generation, setGeneration] = useState(0);
  const [rows, setRows] = useState<{ generation: number; rows: readonly EvidenceRow[] }>();
  const requested = useRef(-1);
  const [route, setRoute] = useState(screenFromHash);
  const [actingAs, setActingAsState] = useState(readActingAs);
  const [citations, setCitations] = useState<readonly string[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [team, setTeam] = useState<TeamStatus>({ connected: false });
  const [busy, setBusy] = useState(false);

  // Opening reads the small collections and the heat-map counts, never the evidence rows (100k rows take a
  // second to read): the heat map is drawn from the counts, and screens that need rows ask for them.
  const reload = useCallback(async () => {
    try {
      const t0 = performance.now();
      const [s, c, t] = await Promise.all([data.snapshot(), data.heatMapCounts(), data.team()]);
      // Exposed for the dashboard benchmark (bench/dashboard.ts): how long reading the workspace took.
      document.body.dataset.readMs = String(performance.now() - t0);
      setSnap(s);
      setCounts(c);
      setTeam(t);
      setGeneration((g) => g + 1);
    } catch (e) {
      setProblem(`The workspace could not be read: ${(e as Error).message}`);
    }
  }, [data]);

  const requestEvidence = useCallback(() => {
    if (snap === undefined || requested.current === generation) return;
    requested.current = generation;
    const asked = generation;
    data.analyticsEvidence(citedEvidenceIds(snap)).then(
      (read) =>
        setRows((prev) =>
          prev !== undefined && prev.generation > asked ? prev : { generation: asked, rows: read },
        ),
      (e: Error) => setProblem(`The evidence could not be read: ${e.message}`),
    );
  }, [data, snap, generation]);

  useEffect(() => {
    void reload();
    const onHash = (): void => setRoute(screenFromHash());
    // Clips are captured in other tabs while the dashboard stays open: read the workspace again when the user
    // comes back to it, so the heat map and the lists show what was captured meanwhile.
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') void reload();
    };
    // The team's changes arrive in the background (the replica writes them): show them as they land.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMutated = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void reload(), 400);
    };
    addEventListener('hashchange', onHash);
    document.addEventListener('visibilitychange', onVisible);
    Dexie.on('storagemutated', onMutated);
    return () => {
      removeEventListener('hashchange', onHash);
      document.removeEventListener('visibilitychange', onVisible);
      Dexie.on('storagemutated').unsubscribe(onMutated);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [reload]);

  const plan = useMemo(() => {
    if (snap === undefined) return undefined;
    const { evidenceCount: _count, ...rest } = snap;
    return rest;
  }, [snap]);
  const heatMap = useMemo(() => {
    if (plan === undefined) return undefined;
    const t0 = performance.now();
    const map = computeHeatMapFromCounts(plan, counts);
    // Exposed for the dashboard benchmark (bench/dashboard.ts): the core's compute time on this data.
    document.body.dataset.heatmapComputeMs = String(performance.now() - t0);
    return map;
  }, [plan, counts]);
  const withEvidence = useMemo(
    () =>
      plan === undefined || rows === undefined
        ? undefined
        : { ...plan, evidence: rows.rows as EvidenceRow[] },
    [plan, rows],
  );

  const ctx = useMemo<WorkspaceCtx | undefined>(() => {
    if (snap === undefined || plan === undefined || heatMap === undefined) return undefined;
    return {
      data,
      snap,
      ws: plan,
      heatMap,
      withEvidence,
      requestEvidence,
      cycleId: resolveCycle(plan, snap.settings.currentCycleId)?.id,
      // Connected, the person is who the team says this browser belongs to; alone, whom they chose.
      actingAs: team.connected ? team.connection.member.personId : actingAs,
      setActingAs: (id) => {
        writeActingAs(id);
        setActingAsState(id);
      },
      citations,
      setCitations,
      reload,
      go: (screen, focusId) => {
        location.hash = focusId === undefined ? screen : `${screen}/${encodeURIComponent(focusId)}`;
      },
      focusId: route.focusId,
      now: new Date().toISOString(),
      team,
      may: permissionsFor(team, plan),
    };
  }, [
    data,
    snap,
    plan,
    heatMap,
    withEvidence,
    requestEvidence,
    actingAs,
    citations,
    reload,
    route.focusId,
    team,
  ]);

  if (problem !== undefined) return <p role="alert">{problem}</p>;
  if (ctx === undefined) return <p aria-busy="true">Opening the workspace…</p>;

  const sample = hasSampleWorkspace(ctx.snap);
  const withBusy = (f: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await f();
      await reload();
    } finally {
      setBusy(false);
    }
  };
  const screens = compact ? SCREENS.filter(([id]) => id === 'inbox' || id === 'heatmap') : SCREENS;
  const Screen = SCREEN_COMPONENTS[route.screen];
  const title = SCREENS.find(([id]) => id === route.screen)?.[1] ?? '';

  return (
    <WorkspaceContext.Provider value={ctx}>
      <header class="top">
        <span class="brand">cxplan</span>
        <span class="org">{ctx.snap.organisation.name}</span>
        {team.connected ? <TeamBadge /> : <ActingAsSelect />}
        {compact && (
          <a href="/dashboard.html" target="_blank" rel="noreferrer">
            Open the full dashboard
          </a>
        )}
      </header>
      {team.connected && team.notices.length > 0 && <TeamNotices />}
      {sample && (
        <div class="sample-banner" role="status">
          <strong>Sample workspace.</strong> Everything marked “sample” is made-up data to show how cxplan
          works.{' '}
          <button type="button" disabled={busy} onClick={withBusy(() => removeSampleWorkspace(data))}>
            Remove the sample workspace
          </button>
        </div>
      )}
      <div class={compact ? 'layout compact' : 'layout'}>
        <nav aria-label="Workspace screens">
          <ul class="nav-list">
            {screens.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`} aria-current={route.screen === id ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="screen" aria-labelledby="screen-title">
          <h1 id="screen-title">{title}</h1>
          {isEmptyWorkspace(ctx.snap) && !team.connected && (
            <FirstRun busy={busy} onLoadSample={withBusy(() => loadSampleWorkspace(data, new Date()))} />
          )}
          <Screen />
        </main>
      </div>
    </WorkspaceContext.Provider>
  );
}
