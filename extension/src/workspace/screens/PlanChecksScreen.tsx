import { SEVERITY_WORDS } from '@cxplan/core';
import type { JSX } from 'preact';
import { FIX_SCREEN, useWorkspace, useWorkspaceWithEvidence } from '../workspace-context';

/** Plan checks: the core's findings for the current cycle, most severe first, each linking to what to fix. */
export function PlanChecksScreen(): JSX.Element {
  const { cycleId, findings } = useWorkspace();
  // Asks for the evidence the checks read; the findings (computed once for the whole page) come through the context.
  useWorkspaceWithEvidence();
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
            <span class="tag">{SEVERITY_WORDS[f.severity]}</span> {f.message}{' '}
            <a href={`#${FIX_SCREEN[f.entity.kind]}/${encodeURIComponent(f.entity.id)}`}>Fix this</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
