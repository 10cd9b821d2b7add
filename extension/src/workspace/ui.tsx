import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type ErrorsByPath, errorInWords } from './form-errors';

let seq = 0;
const nextId = (): string => `f${++seq}`;

interface FieldProps {
  label: string;
  /** The dot path the core's schema reports errors under (e.g. `metric.target`). */
  path: string;
  errors: ErrorsByPath;
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

/** A labelled field with its error (from the core schema, by path) right below it. */
export function Field({ label, path, errors, children }: FieldProps): JSX.Element {
  // One id per mounted field, so the label and the error stay tied to the same input across renders.
  const [id] = useState(() => `${path.replace(/\W/g, '-')}-${nextId()}`);
  const error = errors[path];
  const errId = `${id}-error`;
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children(id, error ? errId : undefined, error !== undefined)}
      {/* Announced once, by the form's error summary at the top; here it sits beside its field. */}
      {error && (
        <span id={errId} class="field-error">
          {errorInWords(error, path, label)}
        </span>
      )}
    </div>
  );
}

/** A text (or date / number) input bound to a string value. */
export function TextInput(props: {
  label: string;
  path: string;
  errors: ErrorsByPath;
  value: string;
  onValue: (v: string) => void;
  type?: 'text' | 'date' | 'number' | 'email' | 'datetime-local';
  step?: string;
}): JSX.Element {
  return (
    <Field label={props.label} path={props.path} errors={props.errors}>
      {(id, describedBy, invalid) => (
        <input
          id={id}
          type={props.type ?? 'text'}
          step={props.step}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => props.onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** A select bound to a string value; the empty option means "none". */
export function SelectInput(props: {
  label: string;
  path: string;
  errors: ErrorsByPath;
  value: string;
  onValue: (v: string) => void;
  options: readonly (readonly [string, string])[];
  empty?: string;
}): JSX.Element {
  return (
    <Field label={props.label} path={props.path} errors={props.errors}>
      {(id, describedBy, invalid) => (
        <select
          id={id}
          value={props.value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => props.onValue(e.currentTarget.value)}
        >
          {props.empty !== undefined && <option value="">{props.empty}</option>}
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Errors the form could not place next to a field. */
export function FormErrors({ messages }: { messages: readonly string[] }): JSX.Element | null {
  if (messages.length === 0) return null;
  return (
    <ul class="form-errors" role="alert">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/** A notice line: what happened or why not. */
export function Notice({
  notice,
}: {
  notice: { kind: 'ok' | 'error'; text: string } | undefined;
}): JSX.Element {
  return (
    <p class={`notice ${notice?.kind ?? ''}`} role={notice?.kind === 'error' ? 'alert' : 'status'}>
      {notice?.text ?? ''}
    </p>
  );
}

/** "Not available yet": a capability whose rule the core has not shipped (the UI never writes rules itself). */
export function NotAvailable({ what }: { what: string }): JSX.Element {
  return (
    <p class="not-available" role="note">
      <strong>Not available yet:</strong> {what} needs a function from the core (@cxplan/core) that has not
      landed.
    </p>
  );
}

/**
 * Drops empty optional fields from a form's draft so the core schema sees them as absent. Required text fields
 * (`keep`) stay even when empty, so the schema reports them as "is required" by name.
 */
export function compact(
  obj: Record<string, unknown>,
  keep: readonly string[] = ['name', 'title'],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if ((v !== '' || keep.includes(k)) && v !== undefined) out[k] = v;
  return out;
}

/** A number field's text as a number for the schema (text that is not a number stays text, so the schema names it). */
export function num(s: string): number | string | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

/**
 * Why this person may not make a change here (the team's rights rule, the same one the Jira app applies), shown
 * beside the form whose button it disables; nothing when they may.
 */
export function RightsNote({
  permission,
}: {
  permission: { ok: true } | { ok: false; message: string };
}): JSX.Element | null {
  if (permission.ok) return null;
  return (
    <p class="rights-note" role="note">
      {permission.message}.
    </p>
  );
}

/**
 * The error summary at the top of a form: after a refused save it lists every field error the form shows (read
 * from the form's own fields, so no form has to list its labels twice), each a button that moves focus to its
 * field, and is announced once. `errors` is the form's current errors: the summary re-reads when they change.
 */
export function ErrorSummary({ errors }: { errors: ErrorsByPath }): JSX.Element | null {
  const ref = useRef<HTMLDivElement>(null);
  const [items, setItems] = useState<readonly { id: string; text: string }[]>([]);
  useLayoutEffect(() => {
    const form = ref.current?.closest('form');
    if (!form || Object.keys(errors).length === 0) {
      setItems([]);
      return;
    }
    const found: { id: string; text: string }[] = [];
    form.querySelectorAll<HTMLElement>('.field.invalid').forEach((el, i) => {
      const text = el.querySelector('.field-error')?.textContent ?? '';
      if (text === '') return;
      // Focus goes to the invalid control, else the field's first control, else the field itself.
      const target =
        el.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        el.querySelector<HTMLElement>('input, select, textarea, button') ??
        el;
      if (target === el) el.tabIndex = -1;
      if (!target.id)
        target.id = `${form.getAttribute('aria-label')?.replace(/\W+/g, '-') ?? 'form'}-invalid-${i}`;
      found.push({ id: target.id, text });
    });
    setItems(found);
  }, [errors]);
  return (
    <div ref={ref} class={items.length > 0 ? 'error-summary' : 'error-summary empty'}>
      {items.length > 0 && (
        <div role="alert">
          <p>
            <strong>
              {items.length === 1 ? 'One thing to fix' : `${items.length} things to fix`} before this can be
              saved:
            </strong>
          </p>
          <ul>
            {items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => document.getElementById(item.id)?.focus()}
                >
                  {item.text}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
