import * as v from 'valibot';
import { EmailSchema, IdSchema, NameSchema, NoteSchema } from './common';

/** A business objective of the organisation; department goals must name the one they serve. */
export const BusinessObjectiveSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  description: v.optional(NoteSchema),
});
/** A business objective of the organisation. */
export type BusinessObjective = v.InferOutput<typeof BusinessObjectiveSchema>;

/** The organisation running the planning process. */
export const OrganisationSchema = v.object({
  name: NameSchema,
  businessObjectives: v.array(BusinessObjectiveSchema),
});
/** The organisation running the planning process. */
export type Organisation = v.InferOutput<typeof OrganisationSchema>;

/** Roles matter to the rules: executives must state their contribution; managers own departments. */
export const RoleSchema = v.picklist(
  ['staff', 'manager', 'executive', 'partner'],
  'must be one of staff, manager, executive, partner',
);
/** A person's role in the process. */
export type Role = v.InferOutput<typeof RoleSchema>;

/** A person: staff member, manager, executive, or a partner organisation's contact. */
export const PersonSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  email: v.optional(EmailSchema),
  /** Atlassian account id, when the person is known to Jira (used by the verification rule there). */
  jiraAccountId: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'))),
  role: RoleSchema,
  departmentId: v.optional(IdSchema),
  /**
   * Administers the team workspace (framework, settings, departments and people). Set on the Jira app's admin page;
   * means nothing in a browser used alone.
   */
  admin: v.optional(v.boolean()),
});
/** A person taking part in the process. */
export type Person = v.InferOutput<typeof PersonSchema>;

/**
 * A department. Its manager sets its goals; its up-line manager verifies them. The up-line manager may be
 * given explicitly or resolved from the parent department's manager (see `verification/who-may-verify.ts`).
 */
export const DepartmentSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  managerId: v.optional(IdSchema),
  upLineManagerId: v.optional(IdSchema),
  parentId: v.optional(IdSchema),
});
/** A department of the organisation. */
export type Department = v.InferOutput<typeof DepartmentSchema>;
