import { KNOWN_CHANNELS, touchpointMap } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { type ErrorsByPath, errorsByPath } from '../form-errors';
import { compact, Notice, SelectInput, TextInput } from '../ui';
import { useWorkspace } from '../workspace-context';

const blank = {
  id: '',
  name: '',
  stageId: '',
  channel: '',
  ownerDepartmentId: '',
  timing: '',
  state: 'current',
};

/** The touchpoint map (stage × channel, owner, timing, current vs desired) with the core's gaps, and its editor. */
export function TouchpointsScreen(): JSX.Element {
  const { data, snap, ws, cycleId, reload } = useWorkspace();
  const map = useMemo(() => touchpointMap(ws, cycleId === undefined ? {} : { cycleId }), [ws, cycleId]);
  const [draft, setDraft] = useState(blank);
  const [errors, setErrors] = useState<ErrorsByPath>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const dept = (id: string | undefined): string =>
    snap.departments.find((d) => d.id === id)?.name ?? 'no owner';

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const r = await data.save('touchpoints', compact({ ...draft, id: draft.id || crypto.randomUUID() }));
    if (!r.ok) {
      setErrors(errorsByPath(r.errors));
      setNotice({ kind: 'error', text: 'The touchpoint was not saved: fix the fields marked below.' });
      return;
    }
    setErrors({});
    setDraft(blank);
    setNotice({ kind: 'ok', text: `Saved “${r.value.name}”.` });
    await reload();
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
      {map.gaps.length === 0 ? (
        <p>No gaps found.</p>
      ) : (
        <ul>
          {map.gaps.map((g) => (
            <li key={`${g.kind}-${g.touchpointId}`}>{g.message}</li>
          ))}
        </ul>
      )}
      <h2>{draft.id ? 'Edit touchpoint' : 'Add a touchpoint'}</h2>
      <form onSubmit={(e) => void save(e)} aria-label="Touchpoint" class="grid-form">
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
        <button type="submit" class="primary">
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
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
