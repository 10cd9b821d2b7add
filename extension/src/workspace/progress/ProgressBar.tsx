import {
  type NodeProgress,
  PROGRESS_STATUS_WORDS,
  type ProgressSource,
  type ProgressStatus,
} from '@cxplan/core';
import type { JSX } from 'preact';
import './progress-bar.css';

/** A share in [0, 1] as a whole percentage. */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The words people read for a status (the core's ids never reach the screen). */
export const STATUS_WORDS = PROGRESS_STATUS_WORDS;

/** Where a plan-progress figure comes from, in words. */
export function sourceWords(source: ProgressSource, parts: number): string {
  switch (source) {
    case 'metric':
      return 'from its metric';
    case 'completion':
      return 'done or not';
    case 'actions':
      return `from ${parts} ${parts === 1 ? 'action' : 'actions'}`;
    case 'departments':
      return `from ${parts} department ${parts === 1 ? 'goal' : 'goals'}`;
    case 'none':
      return 'nothing to measure yet';
  }
}

/** A status as a badge: words always, colour only as a second cue (at risk is the strongest). */
export function StatusBadge({ status }: { status: ProgressStatus }): JSX.Element {
  return <span class={`status-badge status-${status}`}>{STATUS_WORDS[status]}</span>;
}

/**
 * A progress bar with the expected mark, the figure, its status and (optionally) where it comes from. The figures
 * come from the core's roll-up; `label` is the bar's accessible name.
 */
export function ProgressBar({
  label,
  node,
  caption,
}: {
  label: string;
  node: Pick<NodeProgress, 'progress' | 'expected' | 'status'>;
  /** Shown under the label, e.g. "plan progress, from 3 department goals". */
  caption?: string;
}): JSX.Element {
  return (
    <div class={`bar-row status-${node.status}`}>
      <span class="bar-label">
        {label}
        {caption !== undefined && <span class="bar-caption">{caption}</span>}
      </span>
      <div
        class={`bar ${node.status}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(node.progress * 100)}
        aria-valuetext={`${pct(node.progress)}, expected ${pct(node.expected)} by now, ${STATUS_WORDS[node.status].toLowerCase()}`}
      >
        <div class="fill" style={{ width: pct(node.progress) }} />
        <div
          class="expected"
          style={{ left: pct(node.expected) }}
          title={`Expected by now: ${pct(node.expected)}`}
        />
      </div>
      <span class="bar-figure">
        <strong>{pct(node.progress)}</strong> <StatusBadge status={node.status} />{' '}
        <span class="muted">expected {pct(node.expected)}</span>
      </span>
    </div>
  );
}
