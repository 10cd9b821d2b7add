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

/**
 * A schema error said with the field's visible label instead of its path: "metric.due must be a date such as
 * 2026-11-23" at the field labelled "Due" reads "Due needs a date" (the browser's date picker shows dates in the
 * reader's own format, so no example in another format is given); "title is required" at "Goal" reads "Goal is
 * required". The core's message names the path first (see `parseWith`); a message that does not is kept whole.
 */
export function errorInWords(message: string, path: string, label: string): string {
  const subject = `${path} `;
  const predicate = path !== '' && message.startsWith(subject) ? message.slice(subject.length) : undefined;
  if (predicate === undefined) return message;
  // "True on (backdate if needed)": the hint in brackets helps at the field, not in a sentence.
  label = label.replace(/\s*\([^)]*\)$/, '');
  // A missing choice or text arrives as a type error ("must be a string id", "must be text"): it is missing.
  if (/^must be (a string id|text|a date string)$/.test(predicate)) return `${label} is required`;
  if (/^must be a date such as\b/.test(predicate)) return `${label} needs a date`;
  if (/^must be an ISO date-time\b/.test(predicate)) return `${label} needs a date and time`;
  if (/^must be a (finite )?number$/.test(predicate)) return `${label} needs a number`;
  // An empty or absent id or name: nothing was chosen or typed.
  if (
    /^must not be empty$|^is invalid: Invalid (length: Expected >=1 but received 0|(type|key): Expected .+ but received undefined)$/.test(
      predicate,
    )
  )
    return `${label} is required`;
  if (/^is invalid: /.test(predicate)) return `${label} is not valid`;
  // "must cite at least one piece of evidence" is an instruction already: say it as one.
  if (/^must (cite|name|have|choose) /.test(predicate))
    return `${predicate.charAt(5).toUpperCase()}${predicate.slice(6)}`;
  return `${label} ${predicate}`;
}
