import { compareMetricsAcrossCycles, startNextCycle } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { ErrorSummary, Notice, RightsNote, SelectInput, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';

/** Cycles: switch the cycle being worked in, create one, start the next from the current, compare metrics. */
export function CyclesScreen(): JSX.Element {
  const { data, snap, ws, cycleId, actingAs, reload, may } = useWorkspace();
  const allowed = may({ kind: 'cycles', type: 'create', fields: [] });
  const [next, setNext] = useState({ name: '', start: '', end: '' });
  const comparison = useMemo(() => compareMetricsAcrossCycles(ws), [ws]);
  const current = snap.cycles.find((c) => c.id === cycleId);

  const close = async (): Promise<void> => {
    if (current === undefined) return;
    await data.save('cycles', { ...current, status: 'closed' });
    await reload();
  };
  const startNext = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (current === undefined) return;
    if (actingAs === undefined) {
      setNotice({ kind: 'error', text: 'Choose who you are (“Acting as”, at the top) first.' });
      return;
    }
    const r = startNextCycle(ws, current.id, next, () => crypto.randomUUID(), {
      by: actingAs,
      at: new Date().toISOString(),
    });
    if (!r.ok) {
      setNotice({ kind: 'error', text: r.error.message });
      return;
    }
    // The core returns the whole next workspace; only the new cycle and the rows it created are written.
    const id = r.cycle.id;
    await data.save('cycles', r.cycle);
    for (const g of r.workspace.orgGoals.filter((x) => x.cycleId === id)) await data.save('orgGoals', g);
    for (const g of r.workspace.deptGoals.filter((x) => x.cycleId === id)) await data.save('deptGoals', g);
    for (const a of r.workspace.actions.filter((x) => x.cycleId === id)) await data.save('actions', a);
    await data.saveSettings({ currentCycleId: id });
    setNotice({ kind: 'ok', text: `Started “${r.cycle.name}” from “${current.name}” and switched to it.` });
    setNext({ name: '', start: '', end: '' });
    await reload();
  };
  const [draft, setDraft] = useState({ name: '', start: '', end: '', status: 'planning' });
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const switchTo = async (id: string): Promise<void> => {
    await data.saveSettings({ currentCycleId: id });
    await reload();
  };
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    const r = await data.save('cycles', { ...draft, id: crypto.randomUUID() });
    if (!r.ok) {
      setErrors(errorsByPath(r.errors));
      setNotice({
        kind: 'error',
        text: 'The cycle was not created: see what to fix at the top of the form.',
      });
      return;
    }
    setErrors({});
    await data.saveSettings({ currentCycleId: r.value.id });
    setNotice({ kind: 'ok', text: `Created “${r.value.name}” and switched to it.` });
    await reload();
  };

  return (
    <div class="two-col">
      <section aria-labelledby="cycles-title">
        <RightsNote permission={allowed} />
        <h2 id="cycles-title">Cycles</h2>
        {snap.cycles.length === 0 && <p>No cycle yet: create the first one.</p>}
        <ul>
          {snap.cycles.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> ({c.start} – {c.end}, {c.status}){' '}
              {c.id === cycleId ? (
                <span class="tag">current</span>
              ) : (
                <button type="button" onClick={() => void switchTo(c.id)}>
                  Switch to this cycle
                </button>
              )}
            </li>
          ))}
        </ul>
        <h2>Start the next cycle from the current one</h2>
        {current === undefined ? (
          <p>Create a cycle first.</p>
        ) : current.status !== 'closed' ? (
          <p>
            “{current.name}” is {current.status}. A new cycle starts from a closed one.{' '}
            <button type="button" onClick={() => void close()}>
              Close “{current.name}”
            </button>
          </p>
        ) : (
          <form
            class="inline-form"
            onSubmit={(e) => void startNext(e)}
            aria-label="Start the next cycle"
            noValidate
          >
            <TextInput
              label="Name"
              path="name"
              errors={{}}
              value={next.name}
              onValue={(name) => setNext({ ...next, name })}
            />
            <TextInput
              label="Start"
              path="start"
              errors={{}}
              type="date"
              value={next.start}
              onValue={(start) => setNext({ ...next, start })}
            />
            <TextInput
              label="End"
              path="end"
              errors={{}}
              type="date"
              value={next.end}
              onValue={(end) => setNext({ ...next, end })}
            />
            <button type="submit" class="primary" disabled={!allowed.ok}>
              Start the next cycle
            </button>
          </form>
        )}
        <h2>Compare metrics across cycles</h2>
        {comparison.length === 0 ? (
          <p>No goal with a metric yet.</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it (axe scrollable-region-focusable)
          <section class="table-scroll" tabIndex={0} aria-label="Metrics across cycles">
            <table>
              <thead>
                <tr>
                  <th scope="col">Goal</th>
                  <th scope="col">Cycle</th>
                  <th scope="col">Metric</th>
                  <th scope="col">Baseline → target</th>
                  <th scope="col">Latest</th>
                  <th scope="col">Change since the cycle before</th>
                </tr>
              </thead>
              <tbody>
                {comparison.flatMap((c) =>
                  c.points.map((p, i) => (
                    <tr key={`${c.rootId}-${p.cycleId}`}>
                      <td>{i === 0 ? c.title : ''}</td>
                      <td>{p.cycleName}</td>
                      <td>{p.metricName}</td>
                      <td>
                        {p.baseline} → {p.target} {p.unit}
                      </td>
                      <td>{p.latest ?? '—'}</td>
                      <td>
                        {p.change !== undefined
                          ? p.change > 0
                            ? `+${p.change}`
                            : p.change
                          : i === 0
                            ? 'first cycle'
                            : 'no reading to compare'}
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        )}
      </section>
      <section aria-labelledby="new-cycle-title">
        <h2 id="new-cycle-title">New cycle</h2>
        <form onSubmit={(e) => void create(e)} aria-label="New cycle" noValidate>
          <ErrorSummary errors={errors} />
          <TextInput
            label="Name"
            path="name"
            errors={errors}
            value={draft.name}
            onValue={(name) => setDraft({ ...draft, name })}
          />
          <TextInput
            label="Start"
            path="start"
            errors={errors}
            type="date"
            value={draft.start}
            onValue={(start) => setDraft({ ...draft, start })}
          />
          <TextInput
            label="End"
            path="end"
            errors={errors}
            type="date"
            value={draft.end}
            onValue={(end) => setDraft({ ...draft, end })}
          />
          <SelectInput
            label="Status"
            path="status"
            errors={errors}
            value={draft.status}
            onValue={(status) => setDraft({ ...draft, status })}
            options={[
              ['planning', 'planning'],
              ['active', 'active'],
              ['closed', 'closed'],
            ]}
          />
          <button type="submit" class="primary" disabled={!allowed.ok}>
            Create cycle
          </button>
          <Notice notice={notice} />
        </form>
      </section>
    </div>
  );
}
