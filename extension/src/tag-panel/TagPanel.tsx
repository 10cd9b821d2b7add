import type { CustomerEvent, SourceKind, Stage } from '@cxplan/core';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelState, TagOutcome } from '../messaging/protocol';
import { intentOf } from '../storage/evidence-row';
import { applyKey, DRIVER_ORDER, SENTIMENT_KEYS, SOURCE_KEYS, type TagDraft } from './tag-keys';

/** Props: the clip and choices, how to save, and how to close. */
export interface TagPanelProps {
  state: PanelState;
  save: (draft: TagDraft) => Promise<TagOutcome>;
  close: () => void;
}

const SENTIMENT_LABEL: Record<number, string> = { [-2]: '−2', [-1]: '−1', 0: '0', 1: '+1', 2: '+2' };

/** The first draft: the clip's own tags, else the choices remembered from the previous clip. */
export function initialDraft(state: PanelState): TagDraft {
  const { evidence: e, remembered: r } = state;
  const stageId = e.stageId ?? r.stageId ?? undefined;
  const eventCandidate = e.eventId ?? r.eventId ?? undefined;
  const eventOk = state.events.some((ev) => ev.id === eventCandidate && ev.stageId === stageId);
  return {
    sourceKind: e.sourceKind ?? r.sourceKind ?? 'customer',
    stageId,
    eventId: eventOk ? eventCandidate : undefined,
    sentiment: e.sentiment ?? r.sentiment ?? undefined,
    drivers: e.drivers.length > 0 ? e.drivers : (r.drivers ?? []),
  };
}

/** The in-page tag panel: every tag in at most two keystrokes, Enter to save, Escape to leave the clip untagged. */
export function TagPanel({ state, save, close }: TagPanelProps): JSX.Element {
  const [draft, setDraft] = useState<TagDraft>(() => initialDraft(state));
  const [chord, setChord] = useState<'s' | 'e' | 'd' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const stages: Stage[] = state.stages;
  const events: CustomerEvent[] = state.events.filter((e) => e.stageId === draft.stageId);

  useEffect(() => root.current?.focus(), []);

  const submit = async (d: TagDraft): Promise<void> => {
    const outcome = await save(d);
    if (outcome.ok) close();
    else setError(outcome.message);
  };

  const onKeyDown = (ev: KeyboardEvent): void => {
    if (ev.target instanceof HTMLButtonElement && (ev.key === 'Enter' || ev.key === ' ')) return;
    const effect = applyKey(
      draft,
      ev.key,
      chord,
      stages.map((s) => s.id),
      events.map((e) => e.id),
    );
    ev.stopPropagation();
    if (effect.type !== 'none') ev.preventDefault();
    setChord(effect.type === 'chord' ? effect.prefix : null);
    if (effect.type === 'draft') setDraft(effect.draft);
    else if (effect.type === 'save') void submit(draft);
    else if (effect.type === 'close') close();
  };

  const sourceKeys = Object.entries(SOURCE_KEYS) as [string, SourceKind][];
  return (
    <div
      class="panel"
      role="dialog"
      aria-label="Tag this clip"
      tabIndex={-1}
      ref={root}
      onKeyDown={onKeyDown}
    >
      <p class="saved">
        Clip saved{intentOf(state.evidence) !== 'feedback' ? ` as ${intentOf(state.evidence)}` : ''}. Tag it:
      </p>
      <blockquote class="quote" data-testid="clip-text">
        {state.evidence.text}
      </blockquote>
      <fieldset class="row">
        <legend>Source</legend>
        {sourceKeys.map(([key, kind]) => (
          <button
            type="button"
            aria-pressed={draft.sourceKind === kind}
            onClick={() => setDraft({ ...draft, sourceKind: kind })}
          >
            <kbd>{key}</kbd> {kind}
          </button>
        ))}
      </fieldset>
      <fieldset class="row">
        <legend>Sentiment</legend>
        {Object.entries(SENTIMENT_KEYS).map(([key, value]) => (
          <button
            type="button"
            aria-pressed={draft.sentiment === value}
            onClick={() => setDraft({ ...draft, sentiment: value })}
          >
            <kbd>{key}</kbd> {SENTIMENT_LABEL[value]}
          </button>
        ))}
      </fieldset>
      <fieldset class={`row${chord === 's' ? ' armed' : ''}`}>
        <legend>Stage (s then a digit)</legend>
        {stages.slice(0, 9).map((s, i) => (
          <button
            type="button"
            aria-pressed={draft.stageId === s.id}
            onClick={() => setDraft({ ...draft, stageId: s.id, eventId: undefined })}
          >
            <kbd>s{i + 1}</kbd> {s.name}
          </button>
        ))}
      </fieldset>
      {events.length > 0 && (
        <fieldset class={`row${chord === 'e' ? ' armed' : ''}`}>
          <legend>Customer event (e then a digit)</legend>
          {events.slice(0, 9).map((e, i) => (
            <button
              type="button"
              aria-pressed={draft.eventId === e.id}
              onClick={() => setDraft({ ...draft, eventId: e.id })}
            >
              <kbd>e{i + 1}</kbd> {e.name}
            </button>
          ))}
        </fieldset>
      )}
      <fieldset class={`row${chord === 'd' ? ' armed' : ''}`}>
        <legend>Drivers (d then a digit)</legend>
        {DRIVER_ORDER.map((d, i) => (
          <button
            type="button"
            aria-pressed={draft.drivers.includes(d)}
            onClick={() =>
              setDraft({
                ...draft,
                drivers: draft.drivers.includes(d)
                  ? draft.drivers.filter((x) => x !== d)
                  : [...draft.drivers, d],
              })
            }
          >
            <kbd>d{i + 1}</kbd> {d}
          </button>
        ))}
      </fieldset>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={() => void submit(draft)}>
          Save tags <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={close}>
          Keep untagged <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}
