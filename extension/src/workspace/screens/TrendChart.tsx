import { currentReadings, type SuccessMetric } from '@cxplan/core';
import type { JSX } from 'preact';

const W = 240;
const H = 60;

/** A small inline-SVG trend of a metric's readings in force (corrections applied by the core), with the target line. */
export function TrendChart({ metric, title }: { metric: SuccessMetric; title: string }): JSX.Element {
  const points = currentReadings(metric).map((r) => ({ t: Date.parse(r.at), v: r.value }));
  const values = [metric.baseline, metric.target, ...points.map((p) => p.v)];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const t0 = points[0]?.t ?? 0;
  const t1 = points.at(-1)?.t ?? t0 + 1;
  const x = (t: number): number => (t1 === t0 ? W / 2 : ((t - t0) / (t1 - t0)) * (W - 8) + 4);
  const y = (v: number): number => (hi === lo ? H / 2 : H - 4 - ((v - lo) / (hi - lo)) * (H - 8));
  const summary =
    points.length === 0 ? 'no readings yet' : `${points.length} readings, latest ${points.at(-1)?.v}`;
  return (
    <svg
      class="trend"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${title}: ${summary}; target ${metric.target}`}
    >
      <line x1={0} x2={W} y1={y(metric.target)} y2={y(metric.target)} class="target-line" />
      {points.length > 1 && (
        <polyline points={points.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')} class="trend-line" />
      )}
      {points.map((p) => (
        <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={3} class="trend-dot" />
      ))}
    </svg>
  );
}
