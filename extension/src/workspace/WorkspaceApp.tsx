import {
  computeHeatMapFromCounts,
  type Finding,
  type HeatMapCount,
  planChecks,
  resolveCycle,
  rollUp,
} from '@cxplan/core';
import { Dexie } from 'dexie';
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import './nav/nav.css';
import { hasSampleWorkspace, loadSampleWorkspace, removeSampleWorkspace } from '../sample/sample-workspace';
import type { EvidenceRow } from '../storage/evidence-row';
import type { TeamStatus } from '../team-sync/sync-status';
import { ActingAsSelect } from './ActingAsSelect';
import { readActingAs, writeActingAs } from './acting-as';
import { FirstRun, isEmptyWorkspace } from './FirstRun';
import { type NavCount, navCounts } from './nav/nav-counts';
import { SCREEN_COMPONENTS } from './screens/index';
import { TeamBadge, TeamNotices } from './TeamBar';
import {
  NAV_GROUPS,
  permissionsFor,
  SCREENS,
  type ScreenId,
  WorkspaceContext,
  type WorkspaceCtx,
} from './workspace-context';
import { citedEvidenceIds, type WorkspaceData, type WorkspaceSnapshot } from './workspace-data';

function screenFromHash(compact: boolean): { screen: ScreenId; focusId: string | undefined } {
  const [name, focus] = location.hash.replace(/^#/, '').split('/');
  const known = SCREENS.find(([id]) => id === name);
  return {
    // The dashboard opens on Home; the side panel (inbox and heat map only) on the inbox.
    screen: known?.[0] ?? (compact ? 'inbox' : 'home'),
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
  const [route, setRoute] = useState(() => screenFromHash(compact));
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
    const onHash = (): void => setRoute(screenFromHash(compact));
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
  }, [reload, compact]);

  const plan = useMemo(() => {
    if (snap === undefined) return undefined;
    const { evidenceCount: _count, untaggedCount: _untagged, ...rest } = snap;
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

  // One clock per read of the workspace, shared by the navigation's counts and every screen.
  const now = useMemo(() => new Date().toISOString(), [plan, withEvidence]);
  const cycleId = plan === undefined ? undefined : resolveCycle(plan, plan.settings.currentCycleId)?.id;
  // The plan checks read the evidence, so they run once a screen asked for it (Home does, on opening).
  const findings = useMemo<Finding[] | undefined>(
    () =>
      withEvidence === undefined || cycleId === undefined || heatMap === undefined
        ? undefined
        : planChecks(withEvidence, { cycleId, now, heatMap }),
    [withEvidence, cycleId, now, heatMap],
  );
  const personId = team.connected ? team.connection.member.personId : actingAs;
  const navCount = useMemo(
    () =>
      plan === undefined || snap === undefined
        ? {}
        : navCounts(plan, {
            untagged: snap.untaggedCount,
            personId,
            roll: cycleId === undefined ? undefined : rollUp(plan, { cycleId, now }),
            findings,
          }),
    [plan, snap, personId, cycleId, now, findings],
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
      cycleId,
      // Connected, the person is who the team says this browser belongs to; alone, whom they chose.
      actingAs: personId,
      findings,
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
      now,
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
    cycleId,
    personId,
    findings,
    now,
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
          {compact ? (
            <ul class="nav-list">
              {screens.map(([id, label]) => (
                <NavLink key={id} id={id} label={label} current={route.screen} count={navCount[id]} />
              ))}
            </ul>
          ) : (
            <>
              <ul class="nav-list">
                <NavLink id="home" label="Home" current={route.screen} count={undefined} />
              </ul>
              {NAV_GROUPS.map((group) => (
                <div key={group.label} class="nav-group">
                  <div class="nav-group-title" id={`nav-${group.label}`}>
                    {group.label}
                  </div>
                  <ul class="nav-list" aria-labelledby={`nav-${group.label}`}>
                    {group.screens.map((id) => (
                      <NavLink
                        key={id}
                        id={id}
                        label={SCREENS.find(([s]) => s === id)?.[1] ?? id}
                        current={route.screen}
                        count={navCount[id]}
                      />
                    ))}
                  </ul>
                </div>
              ))}
            </>
          )}
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

/** One screen in the navigation, with its count (the figure shown, the words read out). */
function NavLink({
  id,
  label,
  current,
  count,
}: {
  id: ScreenId;
  label: string;
  current: ScreenId;
  count: NavCount | undefined;
}): JSX.Element {
  return (
    <li>
      <a href={`#${id}`} aria-current={current === id ? 'page' : undefined}>
        <span>{label}</span>
        {count !== undefined && (
          <span class={count.urgent ? 'nav-count urgent' : 'nav-count'}>
            <span aria-hidden="true">{count.value}</span>
            <span class="visually-hidden">({count.words})</span>
          </span>
        )}
      </a>
    </li>
  );
}
