import { type CustomerEvent, DriverSchema } from '@cxplan/core';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { compact, ErrorSummary, Notice, RightsNote, SelectInput, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';

const DRIVERS = DriverSchema.options;
type EventDraft = { id: string; stageId: string; name: string; description: string; drivers: string[] };
const blankEvent = (stageId: string): EventDraft => ({
  id: '',
  stageId,
  name: '',
  description: '',
  drivers: [],
});

/** The customer framework: lifecycle stages and the customer events in each (touchpoints have their own screen). */
export function FrameworkScreen(): JSX.Element {
  const { data, snap, ws, reload, may } = useWorkspace();
  const allowed = may({ kind: 'events', type: 'create', fields: [] });
  const stages = [...snap.stages].sort((a, b) => a.order - b.order);
  const [draft, setDraft] = useState<EventDraft>(blankEvent(stages[0]?.id ?? ''));
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [stageNames, setStageNames] = useState<Record<string, string>>({});
  const [stageErrors, setStageErrors] = useState<Record<string, ErrorsByPath>>({});

  const saveEvent = async (e: Event): Promise<void> => {
    e.preventDefault();
    const r = await data.save('events', compact({ ...draft, id: draft.id || crypto.randomUUID() }));
    if (!r.ok) {
      setErrors(errorsByPath(r.errors));
      setNotice({ kind: 'error', text: 'The event was not saved: see what to fix at the top of the form.' });
      return;
    }
    setErrors({});
    setNotice({ kind: 'ok', text: `Saved “${r.value.name}”.` });
    setDraft(blankEvent(draft.stageId));
    await reload();
  };
  const edit = (ev: CustomerEvent): void =>
    setDraft({
      id: ev.id,
      stageId: ev.stageId,
      name: ev.name,
      description: ev.description ?? '',
      drivers: [...ev.drivers],
    });

  // Deleting is refused while evidence, touchpoints, goals or actions use the stage or event (core rule).
  const [stageNotice, setStageNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const removeItem = async (
    collection: 'stages' | 'events',
    id: string,
    name: string,
    show: (n: { kind: 'ok' | 'error'; text: string }) => void,
  ): Promise<void> => {
    const r = await data.removeFrameworkItem(ws, collection, id);
    show(r.ok ? { kind: 'ok', text: `Deleted “${name}”.` } : { kind: 'error', text: r.message });
    if (r.ok) {
      if (draft.id === id) setDraft(blankEvent(draft.stageId));
      await reload();
    }
  };

  const saveStage = async (id: string, order: number, name: string): Promise<void> => {
    const r = await data.save('stages', { id, name, order });
    setStageErrors({ ...stageErrors, [id]: r.ok ? {} : errorsByPath(r.errors) });
    if (r.ok) await reload();
  };

  return (
    <div class="two-col">
      <section aria-labelledby="stages-title">
        <h2 id="stages-title">Lifecycle stages</h2>
        <ol class="plain">
          {stages.map((s, i) => (
            <li key={s.id} class="inline-form">
              <TextInput
                label={`Stage ${i + 1}`}
                path="name"
                errors={stageErrors[s.id] ?? {}}
                value={stageNames[s.id] ?? s.name}
                onValue={(v) => setStageNames({ ...stageNames, [s.id]: v })}
              />
              <button type="button" onClick={() => void saveStage(s.id, s.order, stageNames[s.id] ?? s.name)}>
                Rename
              </button>
              <button
                type="button"
                disabled={i === 0}
                aria-label={`Move ${s.name} earlier`}
                onClick={() => {
                  const prev = stages[i - 1];
                  if (prev)
                    void Promise.all([
                      saveStage(s.id, prev.order, s.name),
                      saveStage(prev.id, s.order, prev.name),
                    ]);
                }}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Delete stage ${s.name}`}
                onClick={() => void removeItem('stages', s.id, s.name, setStageNotice)}
              >
                Delete
              </button>
            </li>
          ))}
        </ol>
        <Notice notice={stageNotice} />
        <button
          type="button"
          onClick={() => void saveStage(crypto.randomUUID(), (stages.at(-1)?.order ?? -1) + 1, 'New stage')}
        >
          Add a stage
        </button>
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">Customer events</h2>
        <RightsNote permission={allowed} />
        <form onSubmit={(e) => void saveEvent(e)} aria-label="Customer event">
          <ErrorSummary errors={errors} />
          <TextInput
            label="Event name"
            path="name"
            errors={errors}
            value={draft.name}
            onValue={(name) => setDraft({ ...draft, name })}
          />
          <SelectInput
            label="Stage"
            path="stageId"
            errors={errors}
            value={draft.stageId}
            onValue={(stageId) => setDraft({ ...draft, stageId })}
            options={stages.map((s) => [s.id, s.name])}
            empty="— choose a stage —"
          />
          <TextInput
            label="Description"
            path="description"
            errors={errors}
            value={draft.description}
            onValue={(description) => setDraft({ ...draft, description })}
          />
          <fieldset>
            <legend>Drivers</legend>
            {DRIVERS.map((d) => (
              <label key={d}>
                <input
                  type="checkbox"
                  checked={draft.drivers.includes(d)}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      drivers: e.currentTarget.checked
                        ? [...draft.drivers, d]
                        : draft.drivers.filter((x) => x !== d),
                    })
                  }
                />{' '}
                {d}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={!allowed.ok}>
            {draft.id ? 'Save event' : 'Add event'}
          </button>
          {draft.id && (
            <button type="button" onClick={() => setDraft(blankEvent(draft.stageId))}>
              Cancel
            </button>
          )}
          <Notice notice={notice} />
        </form>
        {stages.map((s) => {
          const events = snap.events.filter((e) => e.stageId === s.id);
          if (events.length === 0) return null;
          return (
            <div key={s.id}>
              <h3>{s.name}</h3>
              <ul>
                {events.map((ev) => (
                  <li key={ev.id}>
                    {ev.name} {ev.drivers.length > 0 && <span class="muted">({ev.drivers.join(', ')})</span>}{' '}
                    <button type="button" onClick={() => edit(ev)}>
                      Edit
                    </button>{' '}
                    <button
                      type="button"
                      aria-label={`Delete ${ev.name}`}
                      onClick={() => void removeItem('events', ev.id, ev.name, setNotice)}
                    >
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </section>
    </div>
  );
}
