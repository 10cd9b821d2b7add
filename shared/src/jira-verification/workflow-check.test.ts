import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  checkVerificationWorkflow,
  type WorkflowReadResponse,
  WorkflowReadResponseSchema,
} from './workflow-check';
import { WORKFLOW_MODULE_KEYS } from './workflow-spec';

const rule = (key: string) => ({
  ruleKey: 'forge:expression-validator',
  parameters: { key: `ari:cloud:ecosystem::extension/app-id/env-id/static/${key}` },
});

/** A workflow as `POST /rest/api/3/workflows` returns it, with everything cxplan needs. */
function completeWorkflow(): WorkflowReadResponse {
  return v.parse(WorkflowReadResponseSchema, {
    statuses: [
      { statusReference: 's1', name: 'Draft' },
      { statusReference: 's2', name: 'Submitted' },
      { statusReference: 's3', name: 'Verified' },
      { statusReference: 's4', name: 'Rejected' },
    ],
    workflows: [
      {
        name: 'cxplan goals',
        transitions: [
          {
            id: '11',
            name: 'Submit for verification',
            type: 'DIRECTED',
            toStatusReference: 's2',
            links: [{ fromStatusReference: 's1' }, { fromStatusReference: 's4' }],
            actions: [rule(WORKFLOW_MODULE_KEYS.submitPostFunction)],
          },
          {
            id: '21',
            name: 'Verify',
            type: 'DIRECTED',
            toStatusReference: 's3',
            links: [{ fromStatusReference: 's2' }],
            conditions: { operation: 'ALL', conditions: [rule(WORKFLOW_MODULE_KEYS.condition)] },
            validators: [
              rule(WORKFLOW_MODULE_KEYS.verifierValidator),
              rule(WORKFLOW_MODULE_KEYS.verifierIdentity),
            ],
            actions: [rule(WORKFLOW_MODULE_KEYS.verdictPostFunction)],
          },
          {
            id: '31',
            name: 'Reject',
            type: 'DIRECTED',
            toStatusReference: 's4',
            links: [{ fromStatusReference: 's2' }],
            conditions: {
              operation: 'ALL',
              conditions: [],
              conditionGroups: [{ operation: 'ALL', conditions: [rule(WORKFLOW_MODULE_KEYS.condition)] }],
            },
            validators: [
              rule(WORKFLOW_MODULE_KEYS.verifierValidator),
              rule(WORKFLOW_MODULE_KEYS.verifierIdentity),
              rule(WORKFLOW_MODULE_KEYS.rejectReasonValidator),
            ],
            actions: [rule(WORKFLOW_MODULE_KEYS.verdictPostFunction)],
          },
        ],
      },
    ],
  });
}

describe('checkVerificationWorkflow', () => {
  it('finds nothing missing in a complete workflow (condition nested in a group counts)', () => {
    const check = checkVerificationWorkflow(completeWorkflow());
    expect(check.findings.filter((f) => f.level === 'missing')).toEqual([]);
    expect(check.ready).toBe(true);
    expect(check.workflowName).toBe('cxplan goals');
  });

  it('says exactly what is missing', () => {
    const response = completeWorkflow();
    const workflow = response.workflows[0];
    if (workflow === undefined) throw new Error('fixture');
    const [submit, verify] = workflow.transitions;
    if (submit === undefined || verify === undefined) throw new Error('fixture');
    response.statuses = response.statuses.filter((s) => s.name !== 'Rejected');
    workflow.transitions = [
      { ...submit, links: [{ fromStatusReference: 's1' }] },
      { ...verify, conditions: null },
    ];
    const missing = checkVerificationWorkflow(response)
      .findings.filter((f) => f.level === 'missing')
      .map((f) => f.message);
    expect(missing).toEqual([
      'Add the status "Rejected" to the workflow "cxplan goals"',
      'The transition "Submit for verification" must be available from "Rejected"',
      'Add the cxplan condition "cxplan-verifier-condition" to the transition "Verify"',
      'Add the transition "Reject" from "Submitted" to "Rejected"',
    ]);
  });

  it('reports a project whose goal type has no workflow', () => {
    const check = checkVerificationWorkflow({ statuses: [], workflows: [] });
    expect(check.ready).toBe(false);
    expect(check.findings[0]?.message).toMatch(/No workflow/);
  });
});
