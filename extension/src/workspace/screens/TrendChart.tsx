import { currentReadings, type SuccessMetric } from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDay } from '../progress/dates';
import './TrendChart.css';
import { trendSeries } from './trend-series';

const HEIGHT = 200;

/** A number as people read it in their locale, at most two decimals. */
const num = (v: number): string => new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(v);

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
  const expected = `${num(data.expectedNow)} ${unit}`;
  const summary = data.latest
    ? `${title}: latest ${num(data.latest.value)} ${unit} on ${formatDay(data.latest.at)}; expected by now ${expected}; target ${target}`
    : `${title}: no readings yet; target ${target}`;

  useEffect(() => {
    const el = host.current;
    if (!el || !data.latest) return;
    const accent = token(el, '--cx-color-accent', '#2563eb');
    const muted = token(el, '--cx-color-muted', '#6b7280');
    const text = token(el, '--cx-color-text', '#111827');
    const grid = token(el, '--cx-color-border', '#e5e7eb');
    const onTrack = token(el, '--cx-status-on-track', '#15803d');
    const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const latest = data.latest;
    const font = '12px system-ui, sans-serif';
    const axis = { stroke: muted, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const t0 = performance.now();
    let drawn = false;
    const chart = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
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
            space: 70,
            values: (_u, splits) => splits.map((s) => dayFmt.format(new Date(s * 1000))),
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
              ctx.fillText(label, x + (right ? 8 : -8) * devicePixelRatio, y - 4 * devicePixelRatio);
              ctx.restore();
              if (!drawn) {
                drawn = true;
                el.dataset.drawMs = (performance.now() - t0).toFixed(2);
              }
            },
          ],
        },
      },
      [data.x, data.readings, data.expected, data.target],
      el,
    );
    const resize = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 240);
      if (width !== chart.width) chart.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      delete el.dataset.drawMs;
    };
  }, [data, unit]);

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
        <span class="trend-chart-swatch readings" aria-hidden="true" /> Readings, latest{' '}
        <strong>
          {num(data.latest.value)} {unit}
        </strong>{' '}
        on {formatDay(data.latest.at)}
        <span class="trend-chart-swatch expected" aria-hidden="true" /> Expected by now {expected}
        <span class="trend-chart-swatch target" aria-hidden="true" /> Target {target}
      </figcaption>
      <table class="trend-chart-table">
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
