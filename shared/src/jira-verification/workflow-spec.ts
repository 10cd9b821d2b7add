/** Keys of the Forge modules that carry verification in the Jira workflow (the manifest uses the same keys). */
export const WORKFLOW_MODULE_KEYS = {
  condition: 'cxplan-verifier-condition',
  /** The function validator: the goal awaits verification in the app's own record, and the epic mirrors it. */
  verifierValidator: 'cxplan-verifier-validator',
  /** The expression validator: the person transitioning is the one the (just checked) record lets verify. */
  verifierIdentity: 'cxplan-verifier-identity',
  rejectReasonValidator: 'cxplan-reject-reason-validator',
  submitPostFunction: 'cxplan-submit-post-function',
  verdictPostFunction: 'cxplan-verdict-post-function',
} as const;

/** A module key used on the verification workflow. */
export type WorkflowModuleKey = (typeof WORKFLOW_MODULE_KEYS)[keyof typeof WORKFLOW_MODULE_KEYS];

/** The verification status a workflow status stands for. */
export type VerificationStatusName = 'draft' | 'submitted' | 'verified' | 'rejected';

/** A status the department-goal workflow must have (matched by name, case-insensitively). */
export interface RequiredStatus {
  name: string;
  verification: VerificationStatusName;
}

/** A transition the department-goal workflow must have, and the cxplan rules it must carry. */
export interface RequiredTransition {
  name: string;
  from: readonly VerificationStatusName[];
  to: VerificationStatusName;
  conditions: readonly WorkflowModuleKey[];
  validators: readonly WorkflowModuleKey[];
  postFunctions: readonly WorkflowModuleKey[];
}

/** The statuses of the department-goal workflow. */
export const REQUIRED_STATUSES: readonly RequiredStatus[] = [
  { name: 'Draft', verification: 'draft' },
  { name: 'Submitted', verification: 'submitted' },
  { name: 'Verified', verification: 'verified' },
  { name: 'Rejected', verification: 'rejected' },
];

/**
 * Draft → Submit for verification → Submitted → Verify → Verified, or Reject → Rejected → (edit) → Submit for
 * verification again. Verify and Reject carry the condition (hides them: a convenience) and two validators that
 * refuse them — also over REST and in bulk — together: a Forge function that checks the app's own record (Forge
 * does not tell a function validator who is transitioning), then an expression that checks who is (Jira gives it
 * `user`) against that record. All three carry a post function that records the step in the team store.
 */
export const REQUIRED_TRANSITIONS: readonly RequiredTransition[] = [
  {
    name: 'Submit for verification',
    from: ['draft', 'rejected'],
    to: 'submitted',
    conditions: [],
    validators: [],
    postFunctions: [WORKFLOW_MODULE_KEYS.submitPostFunction],
  },
  {
    name: 'Verify',
    from: ['submitted'],
    to: 'verified',
    conditions: [WORKFLOW_MODULE_KEYS.condition],
    validators: [WORKFLOW_MODULE_KEYS.verifierValidator, WORKFLOW_MODULE_KEYS.verifierIdentity],
    postFunctions: [WORKFLOW_MODULE_KEYS.verdictPostFunction],
  },
  {
    name: 'Reject',
    from: ['submitted'],
    to: 'rejected',
    conditions: [WORKFLOW_MODULE_KEYS.condition],
    validators: [
      WORKFLOW_MODULE_KEYS.verifierValidator,
      WORKFLOW_MODULE_KEYS.verifierIdentity,
      WORKFLOW_MODULE_KEYS.rejectReasonValidator,
    ],
    postFunctions: [WORKFLOW_MODULE_KEYS.verdictPostFunction],
  },
];

/** The verification status a Jira status name stands for, or undefined for a status outside the workflow. */
export function verificationStatusOf(statusName: string): VerificationStatusName | undefined {
  const wanted = statusName.trim().toLowerCase();
  return REQUIRED_STATUSES.find((s) => s.name.toLowerCase() === wanted)?.verification;
}
