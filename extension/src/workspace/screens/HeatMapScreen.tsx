import {
  computeHeatMap,
  type HeatCell,
  type LensGroup,
  lensByCapability,
  lensByDriver,
  lensByInitiative,
  resolveHeatMapWeights,
  scoreInWords,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EvidenceRow } from '../../storage/evidence-row';
import { useWorkspace } from '../workspace-context';
import './heatmap.css';

type Lens = 'stage' | 'driver' | 'capability' | 'initiative';
const LENSES: [Lens, string][] = [
  ['stage', 'Lifecycle stage'],
  ['driver', 'Drivers'],
  ['capability', 'Operational capability'],
  ['initiative', 'Initiative dependencies'],
];

/**
 * Cells shown per column before "Show all": the top of each column is what to fix first, and a workspace with
 * 2,000 events would otherwise paint hundreds of cells per column before the map can be used.
 */
const CELLS_SHOWN = 25;

/** Colour buckets by share of the highest score; each pair keeps text contrast above 4.5:1. */
const HEAT = [
  ['#f7f7f7', '#111'],
  ['#fee6ce', '#111'],
  ['#fdae6b', '#111'],
  ['#f16913', '#111'],
  ['#a63603', '#fff'],
] as const;

function heatStyle(score: number, max: number): { background: string; color: string } {
  const bucket = max <= 0 || score <= 0 ? 0 : Math.min(4, 1 + Math.floor((score / max) * 3.999));
  const [background, color] = HEAT[bucket] ?? HEAT[0];
  return { background, color };
}

/**
 * The heat map (IBM customer event map): the core's scores per customer event, grouped by stage or by a lens;
 * a cell opens the evidence behind its score, which can be cited by an organisation goal.
 */
export function HeatMapScreen(): JSX.Element {
  const { ws, snap, cycleId, setCitations, citations, go, heatMap: map, focusId } = useWorkspace();
  const [lens, setLens] = useState<Lens>('stage');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // A link to one event (a plan check's "Fix this", #heatmap/<event id>) opens its cell.
  const [open, setOpen] = useState<HeatCell | undefined>(() => map.ranked.find((c) => c.eventId === focusId));
  useEffect(() => {
    if (focusId !== undefined) setOpen(map.ranked.find((c) => c.eventId === focusId));
    // Only a new link opens a cell; a reload keeps what the user opened.
  }, [focusId]);
  const placed = useMemo(() => map.ranked.reduce((n, c) => n + c.volume, 0), [map]);
  useEffect(() => {
    // Exposed for the dashboard benchmark (bench/dashboard.ts): when the heat map was first on screen.
    document.body.dataset.heatmapReady = String(Date.now());
  }, [map]);
  const groups: { key: string; label: string; cells: HeatCell[] }[] = useMemo(() => {
    if (lens === 'stage')
      return map.byStage.map((s) => ({ key: s.stageId, label: s.stageName, cells: s.cells }));
    const lensGroups: LensGroup[] =
      lens === 'driver'
        ? lensByDriver(map)
        : lens === 'capability'
          ? lensByCapability(ws, map)
          : lensByInitiative(ws, map, cycleId);
    return lensGroups.map((g) => ({
      key: g.key,
      label: `${g.label} (total ${g.totalScore.toFixed(1)})`,
      cells: g.cells,
    }));
  }, [lens, map, ws, cycleId]);
  const max = map.ranked[0]?.score ?? 0;
  const weights = useMemo(() => resolveHeatMapWeights(snap.settings.heatMapWeights), [snap.settings]);
  // Rows of the matrix: the longest column, as shown (each column's n-th event sits on the same row).
  const rows = Math.max(
    1,
    ...groups.map((g) => (expanded.has(g.key) ? g.cells.length : Math.min(CELLS_SHOWN, g.cells.length))),
  );

  if (snap.events.length === 0) {
    return (
      <p>
        No customer events yet. Add the events of each lifecycle stage under{' '}
        <a href="#framework">Customer framework</a>, then tag evidence with them.
      </p>
    );
  }

  return (
    <section aria-label="Heat map">
      <fieldset class="lens">
        <legend>Lens</legend>
        {LENSES.map(([id, label]) => (
          <label key={id}>
            <input type="radio" name="lens" value={id} checked={lens === id} onChange={() => setLens(id)} />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <p class="muted">
        {placed} pieces of evidence placed on events; {map.unplacedEvidence} not placed yet. Each column is a{' '}
        {lens === 'stage' ? 'lifecycle stage' : 'group'}, its events ranked from the top; hover or focus a
        cell for how its score is made.
      </p>
      <HeatLegend max={max} />
      <section
        class="heatmap"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it (axe scrollable-region-focusable)
        tabIndex={0}
        aria-label="Customer events by stage"
        style={{
          gridTemplateColumns: `repeat(${groups.length}, minmax(100px, 1fr))`,
          gridTemplateRows: `auto repeat(${rows}, auto) auto`,
        }}
      >
        {groups.map((g) => (
          <section key={g.key} class="heat-column" aria-label={g.label}>
            <h2>{breakAfterSlashes(g.label)}</h2>
            <ul>
              {(expanded.has(g.key) ? g.cells : g.cells.slice(0, CELLS_SHOWN)).map((c) => (
                <li key={c.eventId}>
                  <button
                    type="button"
                    class="heat-cell"
                    style={heatStyle(c.score, max)}
                    aria-expanded={open?.eventId === c.eventId}
                    title={scoreInWords(c, map.ranked.length, weights)}
                    onClick={() => setOpen(c)}
                  >
                    <span class="heat-name">
                      {c.topQuartile ? '★ ' : ''}
                      {c.eventName}
                    </span>
                    <span class="score">
                      <strong>{c.score.toFixed(1)}</strong> · #{c.rank} · {c.volume}{' '}
                      {c.volume === 1 ? 'clip' : 'clips'} · {Math.round(c.negativeShare * 100)} % negative
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {g.cells.length > CELLS_SHOWN && !expanded.has(g.key) && (
              <button
                type="button"
                class="link"
                aria-label={`Show all ${g.cells.length} events of ${g.label}`}
                onClick={() => setExpanded(new Set([...expanded, g.key]))}
              >
                Show all {g.cells.length} events
              </button>
            )}
          </section>
        ))}
      </section>
      {open && (
        <CellEvidence
          cell={open}
          onClose={() => setOpen(undefined)}
          onCite={(ids) => {
            setCitations([...new Set([...citations, ...ids])]);
            go('strategy');
          }}
        />
      )}
    </section>
  );
}

/** The colour scale, lowest to highest priority, with the score each colour starts at. */
function HeatLegend({ max }: { max: number }): JSX.Element {
  const from = (bucket: number): string => (bucket === 0 ? '0' : ((max * (bucket - 1)) / 4).toFixed(1));
  return (
    <div
      class="heat-legend"
      role="img"
      aria-label={`Colour scale: lighter is lower priority, darker higher, up to a score of ${max.toFixed(1)}; ★ marks the top quarter, fix first.`}
    >
      <span>Priority</span>
      {HEAT.map(([background, color], i) => (
        <span key={background} class="swatch" style={{ background, color }}>
          {i === 0 ? 'none' : i === 1 ? '> 0' : `≥ ${from(i)}`}
        </span>
      ))}
      <span>★ top quarter: fix first</span>
    </div>
  );
}

/**
 * The evidence behind one cell's score, largest contribution first. The map on screen comes from counts, so the
 * cell reads its own rows (one indexed query) and the core explains it: the same `computeHeatMap` over just this
 * event gives exactly this cell's contributions.
 */
function CellEvidence(props: {
  cell: HeatCell;
  onClose: () => void;
  onCite: (ids: string[]) => void;
}): JSX.Element {
  const { data, ws } = useWorkspace();
  const { cell } = props;
  const [explained, setExplained] = useState<{ cell: HeatCell; rows: Map<string, EvidenceRow> }>();
  useEffect(() => {
    let current = true;
    setExplained(undefined);
    void data.evidenceOfEvent(cell.eventId).then((rows) => {
      const event = ws.events.find((e) => e.id === cell.eventId);
      if (!current || event === undefined) return;
      const one = computeHeatMap({ ...ws, events: [event], evidence: rows }).ranked[0];
      if (one !== undefined) setExplained({ cell: one, rows: new Map(rows.map((r) => [r.id, r])) });
    });
    return () => {
      current = false;
    };
  }, [data, ws, cell.eventId]);
  const contributions = explained?.cell.contributions ?? [];
  return (
    <section class="cell-evidence" aria-labelledby="cell-title">
      <h2 id="cell-title">
        Why “{cell.eventName}” scores {cell.score.toFixed(1)}
      </h2>
      {explained === undefined ? (
        <p aria-busy="true">Reading the {cell.volume} pieces of evidence behind this score…</p>
      ) : (
        <>
          <ol>
            {contributions.map((c) => (
              <li key={c.evidenceId}>
                <q>{explained.rows.get(c.evidenceId)?.text ?? c.evidenceId}</q>{' '}
                <span class="muted">
                  adds {c.amount.toFixed(2)} · sentiment {c.sentiment ?? 'none'}
                  {c.drivers.length > 0 ? ` · ${c.drivers.join(', ')}` : ''}
                </span>
              </li>
            ))}
          </ol>
          {explained.cell.otherContributions.count > 0 && (
            <p class="muted">
              …and {explained.cell.otherContributions.count} more adding{' '}
              {explained.cell.otherContributions.amount.toFixed(2)}.
            </p>
          )}
          <button
            type="button"
            class="primary"
            disabled={contributions.length === 0}
            onClick={() => props.onCite(contributions.map((c) => c.evidenceId))}
          >
            Cite this evidence in an organisation goal
          </button>{' '}
        </>
      )}
      <button type="button" onClick={props.onClose}>
        Close
      </button>
    </section>
  );
}

/**
 * A label with a line-break opportunity after each slash ("Add/Renew/Upgrade" wraps between its words), as one
 * inline element: the heading is a flex box, and separate children would be laid out side by side.
 */
function breakAfterSlashes(label: string): JSX.Element {
  const parts = label.split('/');
  return (
    <span>
      {parts.map((part, i) => (i < parts.length - 1 ? [part, '/', <wbr key={`${i}-${part}`} />] : part))}
    </span>
  );
}
