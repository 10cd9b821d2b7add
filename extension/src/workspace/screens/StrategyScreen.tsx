import type { OrgGoal } from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EvidenceRow } from '../../storage/evidence-row';
import { readStrategyDraft, writeStrategyDraft } from '../form-drafts';
import { type ErrorsByPath, errorsByPath, unplacedErrors } from '../form-errors';
import { BLANK_METRIC, type MetricDraft, MetricFields, metricDraft, metricInput } from '../MetricFields';
import { ErrorSummary, Field, FormErrors, Notice, RightsNote, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';

const FIELDS = ['title', 'description', 'metric', 'evidenceIds', 'weight'];

/**
 * The strategy session: organisation goals with a success metric, each citing evidence picked from the heat map
 * or the inbox. The core's OrgGoalSchema refuses a goal that cites nothing, so it cannot be saved without.
 */
export function StrategyScreen(): JSX.Element {
  const { data, snap, cycleId, citations, setCitations, reload, focusId, may } = useWorkspace();
  const goals = snap.orgGoals.filter((g) => g.cycleId === cycleId);
  const draft = readStrategyDraft();
  const [editing, setEditing] = useState<OrgGoal | undefined>(draft.editing);
  const [title, setTitle] = useState(draft.title);
  const [description, setDescription] = useState(draft.description);
  const [metric, setMetric] = useState<MetricDraft>(draft.metric);
  // The draft outlives the screen: picking evidence in the heat map or the inbox must not lose what was typed.
  writeStrategyDraft({ editing, title, description, metric });
  const [cited, setCited] = useState<EvidenceRow[]>([]);
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  useEffect(() => {
    // Reads can finish out of order while citations are removed quickly: only the latest one may set the list.
    let stale = false;
    void data.evidenceByIds(citations).then((rows) => {
      if (!stale) setCited(rows);
    });
    return () => {
      stale = true;
    };
  }, [data, citations]);
  useEffect(() => {
    const g = goals.find((x) => x.id === focusId);
    if (g) startEdit(g);
    // eslint-style exhaustive deps are not needed: only a new focus should load a goal into the form.
  }, [focusId]);

  function startEdit(g: OrgGoal): void {
    setEditing(g);
    setTitle(g.title);
    setDescription(g.description ?? '');
    setMetric(metricDraft(g.metric));
    setCitations(g.evidenceIds);
  }
  const reset = (): void => {
    setEditing(undefined);
    setTitle('');
    setDescription('');
    setMetric(BLANK_METRIC);
    setCitations([]);
  };

  if (cycleId === undefined) {
    return (
      <p>
        There is no planning cycle yet. Create one under <a href="#cycles">Cycles</a> first.
      </p>
    );
  }

  const allowed = may({ kind: 'orgGoals', type: editing ? 'update' : 'create', fields: ['title'] });

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const input = {
      ...(editing ?? {}),
      id: editing?.id ?? crypto.randomUUID(),
      cycleId,
      title,
      ...(description === '' ? {} : { description }),
      metric: metricInput(metric, editing?.metric),
      evidenceIds: cited.map((c) => c.id),
    };
    const r = await data.save('orgGoals', input);
    if (!r.ok) {
      setErrors(errorsByPath(r.errors));
      setNotice({ kind: 'error', text: 'The goal was not saved: see what to fix at the top of the form.' });
      return;
    }
    setErrors({});
    setNotice({
      kind: 'ok',
      text: `Saved “${r.value.title}”, citing ${r.value.evidenceIds.length} pieces of evidence.`,
    });
    reset();
    await reload();
  };

  return (
    <div class="two-col">
      <section aria-labelledby="og-list">
        <h2 id="og-list">Organisation goals of this cycle</h2>
        {goals.length === 0 && <p>No organisation goal yet.</p>}
        <ul>
          {goals.map((g) => (
            <li key={g.id}>
              <strong>{g.title}</strong> — {g.metric.name}: {g.metric.baseline} → {g.metric.target}{' '}
              {g.metric.unit} by {g.metric.due} · cites {g.evidenceIds.length}{' '}
              <button type="button" onClick={() => startEdit(g)}>
                Edit
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="og-form">
        <h2 id="og-form">{editing ? 'Edit organisation goal' : 'New organisation goal'}</h2>
        <RightsNote permission={allowed} />
        <form onSubmit={(e) => void save(e)} aria-label="Organisation goal" noValidate>
          <ErrorSummary errors={errors} />
          <FormErrors messages={unplacedErrors(errors, FIELDS)} />
          <TextInput label="Goal" path="title" errors={errors} value={title} onValue={setTitle} />
          <TextInput
            label="Description"
            path="description"
            errors={errors}
            value={description}
            onValue={setDescription}
          />
          <MetricFields legend="Success metric" draft={metric} onDraft={setMetric} errors={errors} />
          <Field label="Evidence cited" path="evidenceIds" errors={errors}>
            {(id, describedBy) => (
              <div id={id} aria-describedby={describedBy} class="citations">
                {cited.length === 0 ? (
                  <p class="muted">
                    None yet. Pick evidence in the <a href="#heatmap">heat map</a> (open a cell) or the{' '}
                    <a href="#inbox">inbox</a> (select rows, “Cite in an organisation goal”).
                  </p>
                ) : (
                  <ul>
                    {cited.map((c) => (
                      <li key={c.id}>
                        <q>{c.text}</q>{' '}
                        <button
                          type="button"
                          aria-label={`Remove citation: ${c.text.slice(0, 40)}`}
                          onClick={() => setCitations(citations.filter((x) => x !== c.id))}
                        >
                          Remove
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </Field>
          <button type="submit" class="primary" disabled={!allowed.ok}>
            Save organisation goal
          </button>{' '}
          {editing && (
            <button type="button" onClick={reset}>
              Cancel
            </button>
          )}
          <Notice notice={notice} />
        </form>
      </section>
    </div>
  );
}
