import {
  currentReadings,
  metricProgress,
  type NodeProgress,
  type Reading,
  resolveCycle,
  rollUp,
  type SuccessMetric,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { Notice, num, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';
import { TrendChart } from './TrendChart';

type Owner = {
  collection: 'orgGoals' | 'deptGoals' | 'actions';
  id: string;
  title: string;
  metric: SuccessMetric;
};

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A progress bar with the expected mark; the figures come from the core. */
function Bar({
  label,
  node,
}: {
  label: string;
  node: Pick<NodeProgress, 'progress' | 'expected' | 'status'>;
}): JSX.Element {
  return (
    <div class="bar-row">
      <span>{label}</span>
      <div
        class={`bar ${node.status}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(node.progress * 100)}
        aria-valuetext={`${pct(node.progress)}, expected ${pct(node.expected)}, ${node.status}`}
      >
        <div class="fill" style={{ width: pct(node.progress) }} />
        <div class="expected" style={{ left: pct(node.expected) }} />
      </div>
      <span>
        {pct(node.progress)}{' '}
        <span class="muted">
          ({node.status}, expected {pct(node.expected)})
        </span>
      </span>
    </div>
  );
}

/**
 * Progress: the core's roll-up per organisation goal, and per metric its check-ins (readings) with history,
 * backdating and correction. A correction is a new reading that names the one it corrects (the core's rule).
 */
export function ProgressScreen(): JSX.Element {
  const { ws, snap, cycleId, now } = useWorkspace();
  const roll = useMemo(
    () => (cycleId === undefined ? undefined : rollUp(ws, { cycleId, now })),
    [ws, cycleId, now],
  );
  if (cycleId === undefined || roll === undefined) {
    return (
      <p>
        There is no planning cycle yet. Create one under <a href="#cycles">Cycles</a>.
      </p>
    );
  }
  const owners: Owner[] = [
    ...snap.orgGoals
      .filter((g) => g.cycleId === cycleId)
      .map((g) => ({ collection: 'orgGoals' as const, id: g.id, title: g.title, metric: g.metric })),
    ...snap.deptGoals
      .filter((g) => g.cycleId === cycleId && g.metric)
      .map((g) => ({
        collection: 'deptGoals' as const,
        id: g.id,
        title: g.title,
        metric: g.metric as SuccessMetric,
      })),
    ...snap.actions
      .filter((a) => a.cycleId === cycleId && a.metric)
      .map((a) => ({
        collection: 'actions' as const,
        id: a.id,
        title: a.title,
        metric: a.metric as SuccessMetric,
      })),
  ];
  return (
    <div>
      <section aria-labelledby="rollup-title">
        <h2 id="rollup-title">Roll-up per organisation goal</h2>
        {roll.overall !== undefined && <p>Overall: {pct(roll.overall)}</p>}
        {snap.orgGoals
          .filter((g) => g.cycleId === cycleId)
          .map((g) => {
            const node = roll.orgGoals.get(g.id);
            return (
              <div key={g.id} class="rollup">
                {node && <Bar label={g.title} node={node} />}
                <ul>
                  {snap.deptGoals
                    .filter((d) => d.orgGoalId === g.id && d.cycleId === cycleId)
                    .map((d) => {
                      const dn = roll.deptGoals.get(d.id);
                      return (
                        <li key={d.id}>{dn && <Bar label={`${d.title} (from ${dn.source})`} node={dn} />}</li>
                      );
                    })}
                </ul>
              </div>
            );
          })}
      </section>
      <section aria-labelledby="checkins-title">
        <h2 id="checkins-title">Check-ins</h2>
        {owners.length === 0 && <p>No metric in this cycle yet.</p>}
        {owners.map((o) => (
          <CheckIns key={`${o.collection}-${o.id}`} owner={o} />
        ))}
      </section>
    </div>
  );
}

/** One metric: its bar, trend, history, and the check-in form (new, backdated, or correcting a reading). */
function CheckIns({ owner }: { owner: Owner }): JSX.Element {
  const { data, snap, ws, actingAs, reload, now, cycleId } = useWorkspace();
  const [value, setValue] = useState('');
  const [at, setAt] = useState(now.slice(0, 10));
  const [note, setNote] = useState('');
  const [corrects, setCorrects] = useState<Reading | undefined>();
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const start = resolveCycle(ws, cycleId)?.start ?? now.slice(0, 10);
  const mp = metricProgress(owner.metric, start, now);
  const current = currentReadings(owner.metric);

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (actingAs === undefined) {
      setNotice({ kind: 'error', text: 'Choose who you are (“Acting as”, at the top) before checking in.' });
      return;
    }
    const row = snap[owner.collection].find((x) => x.id === owner.id);
    if (row === undefined) return;
    const reading = {
      id: crypto.randomUUID(),
      value: num(value),
      at: `${at}T12:00:00.000Z`,
      recordedAt: new Date().toISOString(),
      by: actingAs,
      ...(note === '' ? {} : { note }),
      ...(corrects ? { corrects: corrects.id } : {}),
    };
    const r = await data.save(owner.collection, {
      ...row,
      metric: { ...owner.metric, readings: [...owner.metric.readings, reading] },
    });
    if (!r.ok) {
      // Errors come back under metric.readings.<n>.<field>; show them at the form's fields.
      const byField: Record<string, string> = {};
      for (const [path, msg] of Object.entries(errorsByPath(r.errors)))
        byField[path.split('.').at(-1) ?? path] = msg;
      setErrors(byField);
      setNotice({ kind: 'error', text: 'The check-in was not saved: fix the fields marked below.' });
      return;
    }
    setErrors({});
    setValue('');
    setNote('');
    setCorrects(undefined);
    setNotice({ kind: 'ok', text: 'Check-in recorded.' });
    await reload();
  };

  return (
    <article class="checkin" aria-label={`Metric of ${owner.title}`}>
      <h3>
        {owner.title}{' '}
        <span class="muted">
          — {owner.metric.name} ({owner.metric.unit}): {owner.metric.baseline} → {owner.metric.target} by{' '}
          {owner.metric.due}
        </span>
      </h3>
      <Bar label={`Progress of ${owner.metric.name}`} node={mp} />
      <TrendChart metric={owner.metric} title={`Trend of ${owner.metric.name}`} />
      <details>
        <summary>History ({owner.metric.readings.length} readings)</summary>
        <ol class="history">
          {[...owner.metric.readings].reverse().map((r) => (
            <li key={r.id} class={current.some((c) => c.id === r.id) ? '' : 'superseded'}>
              {r.at.slice(0, 10)}: <strong>{r.value}</strong> by{' '}
              {snap.people.find((p) => p.id === r.by)?.name ?? r.by}, recorded {r.recordedAt.slice(0, 10)}
              {r.corrects ? ' (correction)' : ''}
              {r.note ? ` — ${r.note}` : ''}
              {!current.some((c) => c.id === r.id) && ' — corrected'}{' '}
              {current.some((c) => c.id === r.id) && (
                <button
                  type="button"
                  onClick={() => {
                    setCorrects(r);
                    setAt(r.at.slice(0, 10));
                  }}
                >
                  Correct
                </button>
              )}
            </li>
          ))}
        </ol>
      </details>
      <form
        class="inline-form"
        onSubmit={(e) => void save(e)}
        aria-label={`Check in ${owner.metric.name}`}
        noValidate
      >
        {corrects && (
          <p>
            Correcting the reading of {corrects.at.slice(0, 10)} ({corrects.value}).{' '}
            <button type="button" onClick={() => setCorrects(undefined)}>
              Cancel correction
            </button>
          </p>
        )}
        <TextInput
          label="Value"
          path="value"
          errors={errors}
          type="number"
          step="any"
          value={value}
          onValue={setValue}
        />
        <TextInput
          label="True on (backdate if needed)"
          path="at"
          errors={errors}
          type="date"
          value={at}
          onValue={setAt}
        />
        <TextInput label="Note" path="note" errors={errors} value={note} onValue={setNote} />
        <button type="submit">{corrects ? 'Record correction' : 'Check in'}</button>
        <Notice notice={notice} />
      </form>
    </article>
  );
}
