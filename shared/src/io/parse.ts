import * as v from 'valibot';

/** One problem found while parsing input: the dot path of the field and a message naming it. */
export interface FieldError {
  /** Dot path of the field, e.g. `origin.capturedAt` or `items.3.text`; empty for the value as a whole. */
  path: string;
  /** A sentence that names the field, e.g. `origin.capturedAt must be an ISO date-time …`. */
  message: string;
}

/** The outcome of parsing untrusted input: the typed value, or every field error found. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Parses untrusted input (a message, a stored row, a request body, an imported file) with a core schema.
 * Never throws for bad input: every problem comes back as a {@link FieldError} naming its field.
 */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  label = 'value',
): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, errors: result.issues.map((issue) => toFieldError(issue, label)) };
}

function toFieldError(issue: v.BaseIssue<unknown>, label: string): FieldError {
  const path = v.getDotPath(issue) ?? '';
  const subject = path === '' ? label : path;
  const message = issue.message.startsWith('Invalid ')
    ? `${subject} is invalid: ${issue.message}`
    : `${subject} ${issue.message}`;
  return { path, message };
}

/** Joins field errors into one readable message (for logs, HTTP 400 bodies and toasts). */
export function describeErrors(errors: readonly FieldError[], max = 5): string {
  const shown = errors.slice(0, max).map((e) => e.message);
  const more = errors.length > max ? ` (and ${errors.length - max} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** Thrown by {@link parseOrThrow}; carries the field errors. */
export class ParseError extends Error {
  /** The field errors that made the input invalid. */
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(describeErrors(errors));
    this.name = 'ParseError';
    this.errors = errors;
  }
}

/** Parses or throws a {@link ParseError}: for places where invalid input is a programming error. */
export function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  label?: string,
): v.InferOutput<S> {
  const r = parseWith(schema, input, label);
  if (!r.ok) throw new ParseError(r.errors);
  return r.value;
}
