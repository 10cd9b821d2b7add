import { type EntityKind, type Finding, planChecks } from '@cxplan/core';
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { type ScreenId, useWorkspace, useWorkspaceWithEvidence } from '../workspace-context';

/** Where each kind of entity a finding points at is fixed. */
const FIX_SCREEN: Record<EntityKind, ScreenId> = {
  orgGoal: 'strategy',
  deptGoal: 'goals',
  action: 'goals',
  event: 'heatmap',
  department: 'people',
  person: 'people',
};

/** Plan checks: the core's findings for the current cycle, most severe first, each linking to what to fix. */
export function PlanChecksScreen(): JSX.Element {
  const { cycleId, now, heatMap } = useWorkspace();
  const ws = useWorkspaceWithEvidence();
  const findings = useMemo<Finding[] | undefined>(() => {
    if (cycleId === undefined || ws === undefined) return undefined;
    return planChecks(ws, { cycleId, now, heatMap });
  }, [ws, cycleId, now, heatMap]);
  if (cycleId === undefined)
    return (
      <p>
        There is no planning cycle yet. Create one under <a href="#cycles">Cycles</a>.
      </p>
    );
  if (findings === undefined) return <p aria-busy="true">Reading the evidence to check the plan…</p>;
  if (findings.length === 0)
    return <p role="status">No findings: the plan of this cycle passes every check.</p>;
  return (
    <section aria-label="Findings">
      <p role="status">
        {findings.length} findings ({findings.filter((f) => f.severity === 'critical').length} critical).
      </p>
      <ul class="findings">
        {findings.map((f) => (
          <li key={f.id} class={`finding ${f.severity}`}>
            <span class="tag">{f.severity}</span> {f.message}{' '}
            <a href={`#${FIX_SCREEN[f.entity.kind]}/${encodeURIComponent(f.entity.id)}`}>Fix this</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
