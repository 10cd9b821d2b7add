import {
  currentReadings,
  metricProgress,
  type Reading,
  resolveCycle,
  rollUp,
  type SuccessMetric,
} from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { formatDay } from '../progress/dates';
import { ProgressBar, pct, sourceWords } from '../progress/ProgressBar';
import { ErrorSummary, Notice, num, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';
import type { WorkspaceSnapshot } from '../workspace-data';
import { TrendChart } from './TrendChart';

type Owner = {
  collection: 'orgGoals' | 'deptGoals' | 'actions';
  id: string;
  title: string;
  metric: SuccessMetric;
};

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
        <h2 id="rollup-title">Plan progress</h2>
        <p class="explain">
          How far the plan has got. An organisation goal’s plan progress is the weighted mean of its
          department goals; a department goal’s comes from its metric or from its actions, as set on the goal.
          The outcome metrics below show how each customer measure itself has moved.
        </p>
        {roll.overall !== undefined && (
          <p>
            All organisation goals together: <strong>{pct(roll.overall)}</strong>{' '}
            <span class="muted">(weighted mean of {plural(roll.orgGoals.size, 'organisation goal')})</span>
          </p>
        )}
        {snap.orgGoals
          .filter((g) => g.cycleId === cycleId)
          .map((g) => {
            const node = roll.orgGoals.get(g.id);
            const depts = snap.deptGoals.filter((d) => d.orgGoalId === g.id && d.cycleId === cycleId);
            return (
              <div key={g.id} class="rollup">
                {node && (
                  <ProgressBar
                    label={g.title}
                    node={node}
                    caption={`Plan progress, ${sourceWords(node.source, depts.length)}`}
                  />
                )}
                <ul>
                  {depts.map((d) => {
                    const dn = roll.deptGoals.get(d.id);
                    const actions = snap.actions.filter(
                      (a) => a.deptGoalId === d.id && a.cycleId === cycleId && a.status !== 'dropped',
                    ).length;
                    return (
                      <li key={d.id}>
                        {dn && (
                          <ProgressBar
                            label={d.title}
                            node={dn}
                            caption={`Plan progress, ${sourceWords(dn.source, actions)}${
                              dn.source === 'metric' && d.metric ? ` (${d.metric.name})` : ''
                            }`}
                          />
                        )}
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
      </section>
      <section aria-labelledby="checkins-title">
        <h2 id="checkins-title">Outcome metrics and check-ins</h2>
        {owners.length === 0 && <p>No metric in this cycle yet.</p>}
        {owners.map((o) => (
          <CheckIns key={`${o.collection}-${o.id}`} owner={o} />
        ))}
      </section>
    </div>
  );
}

/** How a metric's figure relates to its owner's plan progress, so the two numbers are never read as one. */
function relation(snap: WorkspaceSnapshot, owner: Owner): string {
  if (owner.collection === 'orgGoals') return 'the goal’s plan progress comes from its department goals';
  if (owner.collection === 'actions') return 'the action’s own measure';
  const goal = snap.deptGoals.find((g) => g.id === owner.id);
  return goal?.progressSource === 'actions'
    ? 'the goal’s plan progress comes from its actions'
    : 'also the goal’s plan progress';
}

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
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
      for (const [path, msg] of Object.entries(errorsByPath(r.errors))) {
        const field = path.split('.').at(-1) ?? path;
        // The message names the full path; at the form's field it names the field, so it reads in its label's words.
        byField[field] = msg.startsWith(`${path} `) ? `${field}${msg.slice(path.length)}` : msg;
      }
      setErrors(byField);
      setNotice({
        kind: 'error',
        text: 'The check-in was not saved: see what to fix at the top of the form.',
      });
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
          {formatDay(owner.metric.due)}
        </span>
      </h3>
      <ProgressBar
        label={`Outcome: ${owner.metric.name}`}
        node={mp}
        caption={`${mp.hasReading ? `now ${mp.value}` : `no reading yet, baseline ${mp.value}`} ${owner.metric.unit} · ${relation(snap, owner)}`}
      />
      <TrendChart metric={owner.metric} title={`Trend of ${owner.metric.name}`} start={start} now={now} />
      <details>
        <summary>History ({plural(owner.metric.readings.length, 'reading')})</summary>
        <ol class="history">
          {[...owner.metric.readings].reverse().map((r) => (
            <li key={r.id} class={current.some((c) => c.id === r.id) ? '' : 'superseded'}>
              {formatDay(r.at)}: <strong>{r.value}</strong> by{' '}
              {snap.people.find((p) => p.id === r.by)?.name ?? r.by}, recorded {formatDay(r.recordedAt)}
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
        <ErrorSummary errors={errors} />
        {corrects && (
          <p>
            Correcting the reading of {formatDay(corrects.at)} ({corrects.value}).{' '}
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
