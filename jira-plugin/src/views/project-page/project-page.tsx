import { PROGRESS_STATUS_WORDS, SEVERITY_WORDS } from '@cxplan/core';
import {
  Box,
  DynamicTable,
  Heading,
  Inline,
  Link,
  Lozenge,
  ProgressBar,
  SectionMessage,
  Select,
  Stack,
  Text,
} from '@forge/react';
import { type ReactElement, useEffect, useState } from 'react';
import type { DeptGoalView, ProgressView, ProjectPlanView } from '../../resolvers/project-plan-view';
import { callResolver } from '../call-resolver';
import { VerificationLozenge } from '../verification-lozenge';

const percent = (x: number): string => `${Math.round(x * 100)} %`;

const STATUS_APPEARANCE = { 'on-track': 'success', behind: 'moved', 'at-risk': 'removed' } as const;

function Progress({ label, node }: { label: string; node: ProgressView }): ReactElement {
  return (
    <Inline space="space.100" alignBlock="center">
      <Box xcss={{ width: '200px' }}>
        <ProgressBar
          value={node.progress}
          ariaLabel={`Plan progress of ${label}: ${percent(node.progress)}`}
        />
      </Box>
      <Text>{percent(node.progress)}</Text>
      <Lozenge appearance={STATUS_APPEARANCE[node.status]}>{PROGRESS_STATUS_WORDS[node.status]}</Lozenge>
    </Inline>
  );
}

function IssueLink({ issueKey }: { issueKey: string | undefined }): ReactElement | null {
  return issueKey ? <Link href={`/browse/${issueKey}`}>{issueKey}</Link> : null;
}

function DeptGoalNode({ goal }: { goal: DeptGoalView }): ReactElement {
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="center">
        <IssueLink issueKey={goal.issueKey} />
        <Text>{`${goal.title} (${goal.department})`}</Text>
        <VerificationLozenge status={goal.verification} />
      </Inline>
      <Progress label={goal.title} node={goal} />
      <Box paddingInlineStart="space.400">
        <Stack space="space.050">
          {goal.actions.map((action) => (
            <Inline key={action.id} space="space.100" alignBlock="center">
              <IssueLink issueKey={action.issueKey} />
              <Text>{action.title}</Text>
              <Lozenge>{action.actionStatus}</Lozenge>
              <Text>{percent(action.progress)}</Text>
            </Inline>
          ))}
        </Stack>
      </Box>
    </Stack>
  );
}

function Tree({ view }: { view: ProjectPlanView }): ReactElement {
  if (view.orgGoals.length === 0 && view.unlinked.length === 0) {
    return <Text>No goals in this cycle yet: send the plan from the cxplan extension, then sync.</Text>;
  }
  return (
    <Stack space="space.200">
      {view.overall !== undefined && (
        <Text>{`Plan progress of all organisation goals: ${percent(view.overall)}`}</Text>
      )}
      {view.orgGoals.map((org) => (
        <Stack key={org.id} space="space.100">
          <Heading as="h4">{org.title}</Heading>
          <Progress label={org.title} node={org} />
          <Box paddingInlineStart="space.300">
            <Stack space="space.150">
              {org.deptGoals.length === 0 ? (
                <Text>No department goal serves this organisation goal yet.</Text>
              ) : (
                org.deptGoals.map((goal) => <DeptGoalNode key={goal.id} goal={goal} />)
              )}
            </Stack>
          </Box>
        </Stack>
      ))}
      {view.unlinked.length > 0 && (
        <Stack space="space.100">
          <Heading as="h4">Not linked to an organisation goal</Heading>
          {view.unlinked.map((goal) => (
            <DeptGoalNode key={goal.id} goal={goal} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function HeatMapTable({ rows }: { rows: ProjectPlanView['heatMap'] }): ReactElement {
  return (
    <DynamicTable
      caption="Heat map: what to fix first"
      head={{
        cells: [
          { key: 'rank', content: '#' },
          { key: 'event', content: 'Customer event' },
          { key: 'stage', content: 'Stage' },
          { key: 'score', content: 'Score' },
          { key: 'volume', content: 'Evidence' },
          { key: 'negative', content: 'Negative' },
        ],
      }}
      rows={rows.map((r) => ({
        key: `${r.rank}-${r.event}`,
        cells: [
          { key: 'rank', content: String(r.rank) },
          { key: 'event', content: r.event },
          { key: 'stage', content: r.stage },
          { key: 'score', content: r.score.toFixed(1) },
          { key: 'volume', content: String(r.volume) },
          { key: 'negative', content: percent(r.negativeShare) },
        ],
      }))}
      emptyView={<Text>No evidence is tagged to customer events yet.</Text>}
    />
  );
}

const SEVERITY = { critical: 'removed', warning: 'moved', info: 'default' } as const;

/** The cxplan project page: cycle selector, goal tree with progress and verification, heat map, checks, overview. */
export function ProjectPage(): ReactElement {
  const [view, setView] = useState<ProjectPlanView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [cycleId, setCycleId] = useState<string | undefined>();

  useEffect(() => {
    void (async () => {
      const answer = await callResolver<ProjectPlanView>('getProjectPlan', cycleId ? { cycleId } : {});
      if (answer.ok) {
        setView(answer.value);
        setError(undefined);
      } else {
        setError(answer.message);
      }
    })();
  }, [cycleId]);

  if (error) return <SectionMessage appearance="error">{error}</SectionMessage>;
  if (!view) return <Text>Loading…</Text>;
  const selected = view.cycles.find((c) => c.id === view.cycleId);
  return (
    <Stack space="space.300">
      <Inline space="space.200" alignBlock="center">
        <Heading as="h2">cxplan plan</Heading>
        <Box xcss={{ width: '240px' }}>
          <Select
            name="cycle"
            inputId="cycle"
            placeholder="Cycle"
            options={view.cycles.map((c) => ({ label: c.name, value: c.id }))}
            value={selected ? { label: selected.name, value: selected.id } : undefined}
            onChange={(option: unknown) => setCycleId((option as { value?: string } | null)?.value)}
          />
        </Box>
      </Inline>
      <Tree view={view} />
      <Heading as="h3">Heat map</Heading>
      <HeatMapTable rows={view.heatMap} />
      <Heading as="h3">Plan checks</Heading>
      {view.checks.length === 0 ? (
        <Text>No findings: the plan passes every check.</Text>
      ) : (
        <Stack space="space.050">
          {view.checks.map((check) => (
            <Inline key={check.message} space="space.100">
              <Lozenge appearance={SEVERITY[check.severity]}>{SEVERITY_WORDS[check.severity]}</Lozenge>
              <Text>{check.message}</Text>
            </Inline>
          ))}
        </Stack>
      )}
      <Heading as="h3">Commitment overview</Heading>
      <Stack space="space.050">
        {view.process.map((step) => (
          <Inline key={step.letter} space="space.100">
            <Lozenge appearance={step.done ? 'success' : 'default'}>{step.done ? 'done' : 'open'}</Lozenge>
            <Text>{`(${step.letter}) ${step.title}${step.done ? '' : `: ${step.missing.join('; ')}`}`}</Text>
          </Inline>
        ))}
        {view.commitment?.acknowledgements.map((a) => (
          <Text
            key={a.department}
          >{`${a.department}: ${a.acknowledged} of ${a.total} acknowledged the plan`}</Text>
        ))}
        {view.commitment?.contributions.map((c) => (
          <Text key={`${c.person}-${c.statement}`}>{`${c.person}: ${c.statement}`}</Text>
        ))}
      </Stack>
    </Stack>
  );
}
