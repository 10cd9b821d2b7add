import type { ProjectFit } from '@cxplan/core';
import { invoke } from '@forge/bridge';
import { Button, Heading, List, ListItem, Lozenge, SectionMessage, Stack, Text } from '@forge/react';
import { useEffect, useState } from 'react';
import type { SyncOutcome, SyncSummary } from '../sync/run-sync';
import type { SyncStatus } from '../sync/sync-resolver';
import { renderApp } from '../views/render-app';

/** The last sync in a few lines: what was written, what came back, what needs a person. */
export function SyncSummaryView({ summary }: { summary: SyncSummary }): JSX.Element {
  return (
    <Stack space="space.100">
      <Text>
        {`Synced ${summary.cycleIds.length === 1 ? 'cycle' : 'cycles'} ${summary.cycleIds.join(', ')} with ${summary.projectKey} at ${summary.at}: ${summary.created} created, ${summary.edited} edited, ${summary.transitioned} transitioned, ${summary.pulled} changes brought back from Jira.`}
      </Text>
      {summary.stoppedEarly ? (
        <SectionMessage appearance="warning" title="Stopped early">
          <Text>{summary.stoppedEarly}</Text>
        </SectionMessage>
      ) : null}
      {summary.conflicts.length > 0 ? (
        <SectionMessage appearance="warning" title="Changed in both places: decide which to keep">
          <List type="unordered">
            {summary.conflicts.map((c) => (
              <ListItem
                key={`${c.issueKey}-${c.field}`}
              >{`${c.issueKey} ${c.field}: cxplan "${c.local}", Jira "${c.jira}"`}</ListItem>
            ))}
          </List>
        </SectionMessage>
      ) : null}
      {summary.failures.length > 0 ? (
        <SectionMessage appearance="error" title="Jira refused">
          <List type="unordered">
            {summary.failures.map((f) => (
              <ListItem key={`${f.coreId}-${f.operation}`}>{f.message}</ListItem>
            ))}
          </List>
        </SectionMessage>
      ) : null}
    </Stack>
  );
}

/** Calls a resolver function; without the metadata option, Forge answers with the plain result. */
async function call<T>(functionKey: string, payload?: Record<string, string>): Promise<T> {
  return (await invoke(functionKey, payload)) as T;
}

function outcomeText(outcome: SyncOutcome): string {
  return outcome.kind === 'synced' ? 'Sync finished.' : outcome.message;
}

/** The "cxplan sync" admin page: checks the configured project and runs a sync on demand. */
export function SyncPage(): JSX.Element {
  const [status, setStatus] = useState<SyncStatus | undefined>();
  const [fit, setFit] = useState<ProjectFit | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void call<SyncStatus>('getSyncStatus').then(setStatus);
  }, []);

  const check = async (projectKey: string): Promise<void> => {
    setFit(await call<ProjectFit>('checkProject', { projectKey }));
  };
  const sync = async (): Promise<void> => {
    setBusy(true);
    try {
      const outcome = await call<SyncOutcome>('syncNow');
      setMessage(outcomeText(outcome));
      setStatus(await call<SyncStatus>('getSyncStatus'));
    } finally {
      setBusy(false);
    }
  };

  if (!status) return <Text>Loading…</Text>;
  const projectKey = status.projectKey;
  return (
    <Stack space="space.200">
      <Heading as="h2">cxplan sync</Heading>
      {projectKey ? (
        <Text>{`Department goals become epics and actions their child issues in project ${projectKey}.`}</Text>
      ) : (
        <SectionMessage appearance="warning" title="No project yet">
          <Text>Choose the Jira project and issue types on the cxplan admin page first.</Text>
        </SectionMessage>
      )}
      {fit ? (
        fit.ok ? (
          <Lozenge appearance="success">Project has an epic type and a type for actions</Lozenge>
        ) : (
          <SectionMessage appearance="error" title="The project cannot hold the plan">
            <Text>{fit.problem}</Text>
          </SectionMessage>
        )
      ) : null}
      <Stack space="space.100">
        {projectKey ? <Button onClick={() => void check(projectKey)}>Check project</Button> : null}
        <Button
          appearance="primary"
          isDisabled={busy || !projectKey || status.cycleIds.length === 0}
          onClick={() => void sync()}
        >
          {busy ? 'Syncing…' : 'Sync now'}
        </Button>
      </Stack>
      {message ? <Text>{message}</Text> : null}
      {status.lastReport ? (
        <SyncSummaryView summary={status.lastReport} />
      ) : (
        <Text>No sync has run yet.</Text>
      )}
    </Stack>
  );
}

// The UI Kit resource of the `cxplan-sync-page` admin page (renderApp unwraps @forge/react under type: module).
renderApp(<SyncPage />);
