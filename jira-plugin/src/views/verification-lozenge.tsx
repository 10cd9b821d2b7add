import { Lozenge } from '@forge/react';
import type { ReactElement } from 'react';

const APPEARANCE = {
  draft: 'default',
  submitted: 'inprogress',
  verified: 'success',
  rejected: 'removed',
} as const;
const LABEL = {
  draft: 'draft',
  submitted: 'awaiting verification',
  verified: 'verified',
  rejected: 'rejected',
} as const;

/** A department goal's verification status as a lozenge (same colours on every page). */
export function VerificationLozenge({ status }: { status: keyof typeof APPEARANCE }): ReactElement {
  return <Lozenge appearance={APPEARANCE[status]}>{LABEL[status]}</Lozenge>;
}
