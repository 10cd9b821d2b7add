/**
 * Reject requires a reason. Decision: the reason is the comment written on the Reject transition screen (the
 * screen must show the Comment field). Jira hands a function validator the fields changed on the screen as
 * `transition.modifiedFields`, comment included, and the post function the id of the comment added on the
 * transition (`event.comment.id`), so the same text is checked before and recorded after the transition.
 */

/** The message shown when a Reject carries no reason. */
export const REJECT_REASON_MESSAGE =
  'A reason is required to reject a goal: write what must change in the Comment field of the Reject screen';

/** Plain text of an Atlassian Document Format node (text nodes joined, blocks separated by new lines). */
export function adfToPlainText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node === null || typeof node !== 'object') return '';
  const { type, text, content } = node as { type?: unknown; text?: unknown; content?: unknown };
  if (type === 'text' && typeof text === 'string') return text;
  if (type === 'hardBreak') return '\n';
  if (!Array.isArray(content)) return '';
  const parts = content.map((child) => adfToPlainText(child));
  const isBlockContainer =
    type === 'doc' || type === 'bulletList' || type === 'orderedList' || type === 'listItem';
  return parts.join(isBlockContainer ? '\n' : '');
}

/**
 * The reason text in a transition's comment, however Jira shaped it: plain text, an ADF document, a comment
 * object (`{ body }`), REST's `update.comment` operations (`[{ add: { body } }]`) or a comment list
 * (`{ comments: [...] }`, the last one counts). Undefined when there is no non-blank text.
 */
export function reasonFromComment(value: unknown): string | undefined {
  const text = commentText(value).trim();
  return text === '' ? undefined : text;
}

function commentText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const last = value.at(-1) as unknown;
    return commentText(last);
  }
  if (typeof value !== 'object') return '';
  const record = value as Record<string, unknown>;
  if ('add' in record) return commentText(record.add);
  if ('comments' in record) return commentText(record.comments);
  if ('body' in record) return adfToPlainText(record.body);
  if (record.type === 'doc') return adfToPlainText(record);
  return '';
}
