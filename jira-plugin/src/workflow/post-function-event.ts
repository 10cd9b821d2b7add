import * as v from 'valibot';

/**
 * The part of Forge's post function event the app reads (see "Run post function event" in the Jira events
 * reference): the issue, the transition, who performed it and the comment added on the transition.
 */
export const PostFunctionEventSchema = v.object({
  issue: v.object({ id: v.optional(v.string()), key: v.string('must be the issue key') }),
  transition: v.optional(
    v.object({
      transitionId: v.optional(v.union([v.string(), v.number()])),
      transitionName: v.optional(v.string()),
      from: v.optional(v.object({ id: v.optional(v.string()) })),
      to: v.optional(v.object({ id: v.optional(v.string()) })),
    }),
  ),
  atlassianId: v.optional(v.string()),
  comment: v.optional(v.nullable(v.object({ id: v.union([v.string(), v.number()]) }))),
});
/** A parsed post function event. */
export type PostFunctionEvent = v.InferOutput<typeof PostFunctionEventSchema>;

/** Parses a post function event; a malformed one is a clear error naming the field. */
export function parsePostFunctionEvent(event: unknown): PostFunctionEvent {
  const parsed = v.safeParse(PostFunctionEventSchema, event);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  throw new Error(`Unreadable post function event: ${v.getDotPath(issue) ?? 'event'} ${issue.message}`);
}
