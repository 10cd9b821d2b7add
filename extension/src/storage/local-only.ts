/**
 * Rows that stay in this browser. The removable sample workspace's ids all start with {@link SAMPLE_PREFIX}: they
 * are labelled in the UI, removable in one click, and never sent to the team workspace (they would become real
 * goals and epics that "remove the sample" could not take back).
 */
export const SAMPLE_PREFIX = 'sample-';

/** Whether a row may be shared with the team workspace (every row but the sample's). */
export function syncsToTeam(id: string): boolean {
  return !id.startsWith(SAMPLE_PREFIX);
}
