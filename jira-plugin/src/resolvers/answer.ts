import type { FieldError } from '@cxplan/core';

/** A resolver's answer: the value, or a message fit for the page (never a stack trace) with field errors. */
export type Answer<T> = { ok: true; value: T } | { ok: false; message: string; errors?: FieldError[] };

/** Runs resolver work and turns a thrown error into a failed {@link Answer} carrying its message. */
export async function answer<T>(work: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
