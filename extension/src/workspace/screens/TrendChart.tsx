import { currentReadings, type SuccessMetric } from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDay } from '../progress/dates';
import './TrendChart.css';
import { trendSeries } from './trend-series';

const HEIGHT = 200;

/** A number as people read it in their locale, at most `decimals` decimals. */
const num = (v: number, decimals = 2): string =>
  new Intl.NumberFormat(undefined, { maximumFractionDigits: decimals }).format(v);

/** A theme colour from the design tokens (canvas cannot read CSS variables itself), with a fallback. */
function token(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/**
 * A metric's readings over time against the expected line and the target, drawn with uPlot (canvas; chosen over
 * Observable Plot for size: about 24 kB gzip against about 98 kB). Axes with dates in the reader's locale, the
 * latest value labelled; a single reading still sits among the expected and target lines; no readings is said in
 * words. The chart's text alternative is its label (latest, target, expected now) and a visually-hidden table of
 * the readings. The time from creating the chart to its first draw is left on `data-draw-ms` for the benchmark.
 */
export function TrendChart({
  metric,
  title,
  start,
  now,
}: {
  metric: SuccessMetric;
  title: string;
  /** The cycle's start (`YYYY-MM-DD`): where the expected line starts from the baseline. */
  start: string;
  now: string;
}): JSX.Element {
  const data = useMemo(() => trendSeries(metric, start, now), [metric, start, now]);
  const host = useRef<HTMLDivElement>(null);
  const unit = metric.unit;
  const target = `${num(metric.target)} ${unit} by ${formatDay(metric.due)}`;
  const expected = `${num(data.expectedNow, 1)} ${unit}`;
  const summary = data.latest
    ? `${title}: latest ${num(data.latest.value)} ${unit} on ${formatDay(data.latest.at)}; expected by now ${expected}; target ${target}`
    : `${title}: no readings yet; target ${target}`;

  useEffect(() => {
    const el = host.current;
    if (!el || !data.latest) return;
    const accent = token(el, '--cx-color-accent', '#2563eb');
    const muted = token(el, '--cx-color-muted', '#6b7280');
    const text = token(el, '--cx-color-text', '#111827');
    const bg = token(el, '--cx-color-bg', '#ffffff');
    const grid = token(el, '--cx-color-border', '#e5e7eb');
    const onTrack = token(el, '--cx-status-on-track', '#15803d');
    const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const yearFmt = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    // Ticks carry the year on the first one and wherever the year turns, so a cycle across New Year reads right.
    const ticks = (splits: number[]): string[] =>
      splits.map((s, i) => {
        const d = new Date(s * 1000);
        const prev = i > 0 ? new Date((splits[i - 1] ?? s) * 1000) : undefined;
        return prev === undefined || prev.getUTCFullYear() !== d.getUTCFullYear()
          ? yearFmt.format(d)
          : dayFmt.format(d);
      });
    const latest = data.latest;
    const target = metric.target;
    const baseline = metric.baseline;
    const font = '12px system-ui, sans-serif';
    const axis = { stroke: muted, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const width = Math.max(el.clientWidth, 240);
    // Draw time of this chart alone: building it plus its own first draw. uPlot defers the draw to a microtask,
    // so when a screen builds several charts in one go, the time between them belongs to the others.
    const t0 = performance.now();
    let drawn = false;
    let building = true;
    let built = 0;
    let drawStart = 0;
    const chart = new uPlot(
      {
        width,
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: true },
          y: {
            range: (_u, lo, hi) => {
              const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
              return [lo - pad, hi + pad];
            },
          },
        },
        axes: [
          {
            ...axis,
            space: 90,
            values: (_u, splits) => ticks(splits),
          },
          { ...axis, size: 56, values: (_u, splits) => splits.map((s) => num(s)) },
        ],
        series: [
          {},
          {
            label: 'Readings',
            stroke: accent,
            width: 2,
            spanGaps: true,
            points: { show: true, size: 8, fill: accent, stroke: accent },
          },
          { label: 'Expected', stroke: onTrack, width: 1.5, dash: [6, 4], points: { show: false } },
          { label: 'Target', stroke: muted, width: 1, dash: [2, 3], points: { show: false } },
        ],
        hooks: {
          drawClear: [
            () => {
              drawStart = performance.now();
            },
          ],
          draw: [
            (u) => {
              // The latest value, labelled beside its point (left of it when the point is near the right edge).
              const ctx = u.ctx;
              const x = u.valToPos(Date.parse(latest.at) / 1000, 'x', true);
              const y = u.valToPos(latest.value, 'y', true);
              const label = `${num(latest.value)} ${unit}`;
              ctx.save();
              ctx.font = `bold ${12 * devicePixelRatio}px system-ui, sans-serif`;
              const w = ctx.measureText(label).width;
              const right = x + w + 12 * devicePixelRatio < u.bbox.left + u.bbox.width;
              ctx.textAlign = right ? 'left' : 'right';
              ctx.textBaseline = 'bottom';
              ctx.fillStyle = text;
              // A halo in the page colour keeps the label readable where it crosses a line.
              ctx.strokeStyle = bg;
              ctx.lineWidth = 4 * devicePixelRatio;
              ctx.lineJoin = 'round';
              const lx = x + (right ? 8 : -8) * devicePixelRatio;
              ctx.strokeText(label, lx, y - 4 * devicePixelRatio);
              ctx.fillText(label, lx, y - 4 * devicePixelRatio);
              // The target line, named at its right end.
              ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              ctx.fillStyle = muted;
              ctx.textAlign = 'right';
              // On the side away from the expected line, which comes from the baseline's side.
              const below = baseline > target;
              ctx.textBaseline = below ? 'top' : 'bottom';
              ctx.fillText(
                `target ${num(target)} ${unit}`,
                u.bbox.left + u.bbox.width - 4 * devicePixelRatio,
                u.valToPos(target, 'y', true) + (below ? 3 : -3) * devicePixelRatio,
              );
              ctx.restore();
              if (!drawn) {
                drawn = true;
                const end = performance.now();
                el.dataset.drawMs = (building ? end - t0 : built + end - drawStart).toFixed(2);
                el.dataset.drawStart = String(t0);
                el.dataset.drawEnd = String(end);
              }
            },
          ],
        },
      },
      [data.x, data.readings, data.expected, data.target],
      el,
    );
    built = performance.now() - t0;
    building = false;
    const resize = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 240);
      if (width !== chart.width) chart.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      delete el.dataset.drawMs;
      delete el.dataset.drawStart;
      delete el.dataset.drawEnd;
    };
  }, [data, unit, metric.target, metric.baseline]);

  if (!data.latest)
    return (
      <p class="trend-chart-empty" role="note">
        No readings yet: the trend appears after the first check-in. Target {target}.
      </p>
    );
  const points = currentReadings(metric);
  return (
    <figure class="trend-chart">
      <div ref={host} class="trend-chart-plot" role="img" aria-label={summary} />
      <figcaption class="trend-chart-key">
        <span class="trend-chart-key-item">
          <span class="trend-chart-swatch readings" aria-hidden="true" /> Readings, latest{' '}
          <strong>
            {num(data.latest.value)} {unit}
          </strong>{' '}
          on {formatDay(data.latest.at)}
        </span>
        <span class="trend-chart-key-item">
          <span class="trend-chart-swatch expected" aria-hidden="true" /> Expected by now {expected}
        </span>
        <span class="trend-chart-key-item">
          <span class="trend-chart-swatch target" aria-hidden="true" /> Target {target}
        </span>
      </figcaption>
      <table class="visually-hidden">
        <caption>{title}: readings</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Value ({unit})</th>
          </tr>
        </thead>
        <tbody>
          {points.map((r) => (
            <tr key={r.id}>
              <td>{formatDay(r.at)}</td>
              <td>{num(r.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
