/**
 * Deterministic ids for imported rows, so importing the same file twice yields the same ids and the second import
 * adds nothing. An id is made of the file's key (a hash of its bytes and their count) and the row's own identity:
 * the tool's response id when the export has one, else the row's line and a hash of its fields.
 *
 * The hash is 32-bit FNV-1a (as `contentHash` in jira/canonical-json.ts): pure, streaming, fast enough to run
 * over a 100 MB export while it is read, and not for security. Where a collision would merge two responses the
 * id keeps the response id itself, not its hash.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A streaming hash of a file's bytes: feed it every chunk in order, then read its key. */
export interface FileKeyHasher {
  update(bytes: Uint8Array): void;
  /** `<hash><byte count>` in hex and base 36, e.g. `9f3c01aa-2bc`. */
  key(): string;
}

/** Starts a {@link FileKeyHasher}. */
export function createFileKeyHasher(): FileKeyHasher {
  let hash = FNV_OFFSET;
  let size = 0;
  return {
    update(bytes) {
      let h = hash;
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
      hash = h >>> 0;
      size += bytes.length;
    },
    key: () => `${(hash >>> 0).toString(16).padStart(8, '0')}-${size.toString(36)}`,
  };
}

/** FNV-1a over a string's UTF-16 code units, as 8 hex digits; another `basis` gives a second, different lane. */
export function hashText(text: string, basis = FNV_OFFSET): string {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What identifies one row of an export: its line, the tool's response id when mapped, and its fields. */
export interface ImportRow {
  /** 1-based physical line where the row starts. */
  line: number;
  /** The tool's response id (trimmed), when the mapping names a response-id column and the row has one. */
  responseId?: string;
  /** The row's fields as read. */
  fields: readonly string[];
}

// Characters kept as they are in an id; anything else (or a very long response id) is hashed.
const SAFE = /^[A-Za-z0-9_.:@~-]{1,100}$/;

/**
 * The evidence id of an imported row: `imp-<file key>-r-<response id>` when the row has a response id,
 * else `imp-<file key>-l<line>-<hash of the row's fields>`. The same file gives the same ids every time.
 */
export function importedEvidenceId(fileKey: string, row: ImportRow): string {
  if (row.responseId !== undefined && row.responseId !== '') {
    const id = SAFE.test(row.responseId)
      ? row.responseId
      : `h${hashText(row.responseId)}${hashText(row.responseId, 0x9e3779b9)}`;
    return `imp-${fileKey}-r-${id}`;
  }
  return `imp-${fileKey}-l${row.line}-${hashText(row.fields.join('\u001f'))}`;
}
