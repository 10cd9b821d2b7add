import { KNOWN_CHANNELS, touchpointMap } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { compact, ErrorSummary, Notice, RightsNote, SelectInput, TextInput } from '../ui';
import './touchpoints.css';
import { useWorkspace, useWorkspaceWithEvidence } from '../workspace-context';

const blank = {
  id: '',
  name: '',
  stageId: '',
  channel: '',
  ownerDepartmentId: '',
  timing: '',
  state: 'current',
  eventIds: [] as string[],
};

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

/** The touchpoint map (stage × channel, owner, timing, current vs desired) with the core's gaps, and its editor. */
export function TouchpointsScreen(): JSX.Element {
  const { data, snap, ws, cycleId, reload, may } = useWorkspace();
  const allowed = may({ kind: 'touchpoints', type: 'create', fields: [] });
  // The grid needs no evidence; the gaps do ("current with negative evidence"): they wait for the rows.
  const withEvidence = useWorkspaceWithEvidence();
  const map = useMemo(
    () => touchpointMap(withEvidence ?? { ...ws, evidence: [] }, cycleId === undefined ? {} : { cycleId }),
    [withEvidence, ws, cycleId],
  );
  const [draft, setDraft] = useState(blank);
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const dept = (id: string | undefined): string =>
    snap.departments.find((d) => d.id === id)?.name ?? 'no owner';

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    // Only the events of the chosen stage stay linked (the stage may have changed after ticking some).
    const inStage = new Set(snap.events.filter((ev) => ev.stageId === draft.stageId).map((ev) => ev.id));
    const r = await data.save(
      'touchpoints',
      compact({
        ...draft,
        id: draft.id || crypto.randomUUID(),
        eventIds: draft.eventIds.filter((id) => inStage.has(id)),
      }),
    );
    if (!r.ok) {
      setErrors(errorsByPath(r.errors));
      setNotice({
        kind: 'error',
        text: 'The touchpoint was not saved: see what to fix at the top of the form.',
      });
      return;
    }
    setErrors({});
    setDraft(blank);
    setNotice({ kind: 'ok', text: `Saved “${r.value.name}”.` });
    await reload();
  };

  const remove = async (id: string, name: string): Promise<void> => {
    const r = await data.removeFrameworkItem(ws, 'touchpoints', id);
    setNotice(r.ok ? { kind: 'ok', text: `Deleted “${name}”.` } : { kind: 'error', text: r.message });
    if (r.ok) await reload();
  };

  return (
    <section aria-label="Touchpoint map">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it (axe scrollable-region-focusable) */}
      <section class="table-scroll" tabIndex={0} aria-label="Touchpoints by stage and channel">
        <table class="tp-map">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              {map.channels.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.stages.map((s) => (
              <tr key={s.stageId}>
                <th scope="row">{s.stageName}</th>
                {map.channels.map((c) => (
                  <td key={c}>
                    {(map.cells[s.stageId]?.[c] ?? []).map((t) => (
                      <div key={t.touchpointId} class={`tp ${t.state}`}>
                        <strong>{t.name}</strong> <span class="tag">{t.state}</span>
                        <br />
                        <span class="muted">
                          {t.ownerName ?? 'no owner'}
                          {t.timing ? ` · ${t.timing}` : ''}
                        </span>
                        {withEvidence !== undefined && t.state === 'current' && (
                          <span class={t.negativeCount > 0 ? 'tp-pain' : 'muted'}>
                            <br />
                            {t.evidenceCount === 0
                              ? 'no clips yet'
                              : `${plural(t.evidenceCount, 'clip')}, ${t.negativeCount} negative`}
                          </span>
                        )}
                        <span class={t.actionCount > 0 ? 'muted' : 'tp-no-action'}>
                          <br />
                          {t.actionCount > 0
                            ? `${plural(t.actionCount, 'action')} working on it`
                            : 'no action'}
                        </span>
                      </div>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <h2>Gaps between current and desired</h2>
      {withEvidence === undefined ? (
        <p aria-busy="true">Reading the evidence behind each touchpoint…</p>
      ) : map.gaps.length === 0 ? (
        <p>No gaps found.</p>
      ) : (
        <ul>
          {map.gaps.map((g) => (
            <li key={`${g.kind}-${g.touchpointId}`}>
              {g.message}{' '}
              {!(g.kind === 'current-with-negative-evidence' && g.addressed) && (
                <a href="#goals">Plan an action</a>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{draft.id ? 'Edit touchpoint' : 'Add a touchpoint'}</h2>
      <RightsNote permission={allowed} />
      <form onSubmit={(e) => void save(e)} aria-label="Touchpoint" class="grid-form">
        <ErrorSummary errors={errors} />
        <TextInput
          label="Name"
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
          options={snap.stages.map((s) => [s.id, s.name])}
          empty="— choose —"
        />
        <SelectInput
          label="Channel"
          path="channel"
          errors={errors}
          value={draft.channel}
          onValue={(channel) => setDraft({ ...draft, channel })}
          options={KNOWN_CHANNELS.map((c) => [c, c])}
          empty="— choose —"
        />
        <SelectInput
          label="Owner department"
          path="ownerDepartmentId"
          errors={errors}
          value={draft.ownerDepartmentId}
          onValue={(ownerDepartmentId) => setDraft({ ...draft, ownerDepartmentId })}
          options={snap.departments.map((d) => [d.id, d.name])}
          empty="— none —"
        />
        <TextInput
          label="Timing"
          path="timing"
          errors={errors}
          value={draft.timing}
          onValue={(timing) => setDraft({ ...draft, timing })}
        />
        <SelectInput
          label="Current or desired"
          path="state"
          errors={errors}
          value={draft.state}
          onValue={(state) => setDraft({ ...draft, state })}
          options={[
            ['current', 'current'],
            ['desired', 'desired'],
          ]}
        />
        <fieldset class="wide">
          <legend>Customer events it serves</legend>
          {draft.stageId === '' ? (
            <p class="muted">Choose a stage to link its customer events.</p>
          ) : snap.events.filter((ev) => ev.stageId === draft.stageId).length === 0 ? (
            <p class="muted">This stage has no customer events yet.</p>
          ) : (
            snap.events
              .filter((ev) => ev.stageId === draft.stageId)
              .map((ev) => (
                <label key={ev.id}>
                  <input
                    type="checkbox"
                    checked={draft.eventIds.includes(ev.id)}
                    onChange={(e) =>
                      setDraft({
                        ...draft,
                        eventIds: e.currentTarget.checked
                          ? [...draft.eventIds, ev.id]
                          : draft.eventIds.filter((x) => x !== ev.id),
                      })
                    }
                  />{' '}
                  {ev.name}
                </label>
              ))
          )}
        </fieldset>
        <button type="submit" class="primary" disabled={!allowed.ok}>
          Save touchpoint
        </button>
        <Notice notice={notice} />
      </form>
      <ul>
        {snap.touchpoints.map((t) => (
          <li key={t.id}>
            {t.name} ({t.state}, {t.channel}, {dept(t.ownerDepartmentId)}){' '}
            <button
              type="button"
              onClick={() =>
                setDraft({
                  ...blank,
                  ...t,
                  ownerDepartmentId: t.ownerDepartmentId ?? '',
                  timing: t.timing ?? '',
                })
              }
            >
              Edit
            </button>{' '}
            <button type="button" aria-label={`Delete ${t.name}`} onClick={() => void remove(t.id, t.name)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
