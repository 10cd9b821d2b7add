import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ErrorsByPath } from './form-errors';

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
      {error && (
        <span id={errId} class="field-error" role="alert">
          {error}
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
