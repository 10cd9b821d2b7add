import type { FieldError } from '@cxplan/core';

/** Field errors keyed by their dot path, so a form shows each next to its field. */
export type ErrorsByPath = Readonly<Record<string, string>>;

/**
 * Indexes the core's field errors by path. An error on a nested field (`metric.target`) is shown at that field;
 * the first error per path wins. Errors without a path are kept under `''` for the form as a whole.
 */
export function errorsByPath(errors: readonly FieldError[]): ErrorsByPath {
  const out: Record<string, string> = {};
  for (const e of errors) if (out[e.path] === undefined) out[e.path] = e.message;
  return out;
}

/** Errors whose path is not one of the form's fields (shown above the form, so none is silently dropped). */
export function unplacedErrors(errors: ErrorsByPath, fields: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => !fields.some((f) => path === f || path.startsWith(`${f}.`)))
    .map(([, message]) => message);
}
