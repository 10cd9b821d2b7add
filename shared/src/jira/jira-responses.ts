import * as v from 'valibot';
import { StatusCategorySchema } from './jira-issue';

/** Jira's error body: general messages and field → message. */
export const JiraErrorCollectionSchema = v.object({
  errorMessages: v.optional(v.array(v.string()), []),
  errors: v.optional(v.record(v.string(), v.string()), {}),
});
/** Jira's error body. */
export type JiraErrorCollection = v.InferOutput<typeof JiraErrorCollectionSchema>;

/** One page of `POST /rest/api/3/search/jql`; issues are parsed one by one later so one bad issue cannot hide the rest. */
export const SearchPageSchema = v.object({
  issues: v.array(v.unknown()),
  nextPageToken: v.optional(v.nullable(v.string())),
  isLast: v.optional(v.boolean()),
});
/** One page of a JQL search. */
export type SearchPage = v.InferOutput<typeof SearchPageSchema>;

/** The answer of `POST /rest/api/3/issue/bulk`: created issues and per-item failures. */
export const CreatedIssuesSchema = v.object({
  issues: v.optional(v.array(v.object({ id: v.string(), key: v.string() })), []),
  errors: v.optional(
    v.array(
      v.object({
        failedElementNumber: v.number(),
        status: v.optional(v.number()),
        elementErrors: v.optional(JiraErrorCollectionSchema, {}),
      }),
    ),
    [],
  ),
});
/** The answer of a bulk create. */
export type CreatedIssues = v.InferOutput<typeof CreatedIssuesSchema>;

/** The transitions an issue offers (`GET /rest/api/3/issue/{key}/transitions`). */
export const TransitionsSchema = v.object({
  transitions: v.array(
    v.object({
      id: v.string(),
      name: v.optional(v.string()),
      to: v.object({
        id: v.optional(v.string()),
        name: v.optional(v.string()),
        statusCategory: v.object({ key: StatusCategorySchema }),
      }),
    }),
  ),
});
/** The transitions an issue offers. */
export type Transitions = v.InferOutput<typeof TransitionsSchema>;

/** A project with its issue types (`GET /rest/api/3/project/{key}`). */
export const ProjectSchema = v.object({
  id: v.string(),
  key: v.string(),
  name: v.optional(v.string()),
  issueTypes: v.optional(
    v.array(
      v.object({
        id: v.string(),
        name: v.string(),
        hierarchyLevel: v.optional(v.number(), 0),
        subtask: v.optional(v.boolean()),
      }),
    ),
    [],
  ),
});
/** A Jira project. */
export type Project = v.InferOutput<typeof ProjectSchema>;

/** The JQL that finds every cxplan issue of a project: by label, or by an indexed `cxplan.*` property if the label was removed. */
export function cxplanIssuesJql(projectKey: string): string {
  const quoted = JSON.stringify(projectKey);
  return `project = ${quoted} AND (labels = "cxplan" OR issue.property[cxplan.goal].id IS NOT EMPTY OR issue.property[cxplan.action].id IS NOT EMPTY) ORDER BY key ASC`;
}

/** What the project must offer for cxplan, or a sentence saying what is missing. */
export type ProjectFit =
  | { readonly ok: true; readonly epicIssueTypeId: string; readonly actionIssueTypeId: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks that a project can hold cxplan goals and actions: an epic type (hierarchy level 1) and a standard
 * type (level 0) for actions, preferring the configured names.
 */
export function checkProjectFit(
  project: Project,
  wanted: { epicTypeName?: string; actionTypeName?: string } = {},
): ProjectFit {
  const epics = project.issueTypes.filter((t) => t.hierarchyLevel === 1);
  const standard = project.issueTypes.filter((t) => t.hierarchyLevel === 0 && !t.subtask);
  const epic = epics.find((t) => t.name === wanted.epicTypeName) ?? epics[0];
  const action = standard.find((t) => t.name === (wanted.actionTypeName ?? 'Task')) ?? standard[0];
  if (!epic) {
    return {
      ok: false,
      problem: `Project ${project.key} has no epic issue type (hierarchy level 1). Department goals become epics: use a software project, or add the Epic type to the project's issue type scheme.`,
    };
  }
  if (!action) {
    return {
      ok: false,
      problem: `Project ${project.key} has no standard issue type (such as Task) for actions.`,
    };
  }
  return { ok: true, epicIssueTypeId: epic.id, actionIssueTypeId: action.id };
}
