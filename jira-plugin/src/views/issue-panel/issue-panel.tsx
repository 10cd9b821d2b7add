import {
  Button,
  Heading,
  Inline,
  Label,
  Link,
  List,
  ListItem,
  SectionMessage,
  Stack,
  Text,
  Textfield,
} from '@forge/react';
import { type ReactElement, useEffect, useState } from 'react';
import type { IssuePanelView, MetricView } from '../../resolvers/issue-resolver';
import { callResolver } from '../call-resolver';
import { VerificationLozenge } from '../verification-lozenge';

const fieldValue = (event: unknown): string =>
  String((event as { target?: { value?: unknown } }).target?.value ?? '');

const HISTORY_WORDS = {
  submitted: 'submitted',
  verified: 'verified',
  rejected: 'rejected',
  'returned-to-draft': 'returned to draft',
} as const;

function Metric({ metric }: { metric: MetricView }): ReactElement {
  const unit = metric.unit ? ` ${metric.unit}` : '';
  const latest = metric.readings.at(-1);
  return (
    <Stack space="space.050">
      <Heading as="h4">{`Success metric: ${metric.name}`}</Heading>
      <Text>{`Baseline ${metric.baseline}${unit} → target ${metric.target}${unit} (${metric.direction}) by ${metric.due}`}</Text>
      <Text>
        {latest ? `Latest: ${latest.value}${unit} on ${latest.at.slice(0, 10)}` : 'No reading yet.'}
      </Text>
      {metric.readings.length > 0 && (
        <List type="unordered">
          {metric.readings.map((r) => (
            <ListItem key={r.id}>
              <Text>{`${r.at.slice(0, 10)}: ${r.value}${unit} (${r.by})${r.note ? ` — ${r.note}` : ''}`}</Text>
            </ListItem>
          ))}
        </List>
      )}
    </Stack>
  );
}

function CheckInForm({ onAdd }: { onAdd: (value: string, note: string) => Promise<void> }): ReactElement {
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  return (
    <Stack space="space.050">
      <Label labelFor="checkin-value">New reading</Label>
      <Textfield
        id="checkin-value"
        name="checkin-value"
        type="number"
        value={value}
        onChange={(e) => setValue(fieldValue(e))}
      />
      <Label labelFor="checkin-note">Note (optional)</Label>
      <Textfield
        id="checkin-note"
        name="checkin-note"
        value={note}
        onChange={(e) => setNote(fieldValue(e))}
      />
      <Button
        appearance="primary"
        onClick={async () => {
          await onAdd(value, note);
          setValue('');
          setNote('');
        }}
      >
        Add check-in
      </Button>
    </Stack>
  );
}

/** The cxplan issue panel (and issue context) on epics and actions: metric and check-ins, evidence, verification. */
export function IssuePanel(): ReactElement {
  const [view, setView] = useState<IssuePanelView | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void (async () => {
      const answer = await callResolver<IssuePanelView>('getIssuePanel');
      if (answer.ok) setView(answer.value);
      else setError(answer.message);
    })();
  }, []);

  const addCheckIn = async (value: string, note: string): Promise<void> => {
    const answer = await callResolver<IssuePanelView>('addCheckIn', { value, note });
    if (answer.ok) {
      setView(answer.value);
      setError(undefined);
    } else {
      setError(answer.message);
    }
  };

  if (!view)
    return error ? <SectionMessage appearance="error">{error}</SectionMessage> : <Text>Loading…</Text>;
  if (view.kind === 'none') return <Text>{view.message}</Text>;
  return (
    <Stack space="space.200">
      {error && (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {view.serves ? (
        <Text>{`Serves the ${view.serves.kind} “${view.serves.title}”.`}</Text>
      ) : (
        view.kind === 'goal' && <Text>Not linked to an organisation goal yet.</Text>
      )}
      {view.verification && (
        <Stack space="space.050">
          <Inline space="space.100" alignBlock="center">
            <Heading as="h4">Verification</Heading>
            <VerificationLozenge status={view.verification.status} />
          </Inline>
          {view.verification.waitingFor && (
            <Text>{`Waiting for ${view.verification.waitingFor.verifier}, the up-line manager recorded at submission.`}</Text>
          )}
          {view.verification.waitingFor?.reassigned && (
            <SectionMessage appearance="information">
              <Text>{view.verification.waitingFor.reassigned}</Text>
            </SectionMessage>
          )}
          {view.verification.flags.map((flag) => (
            <SectionMessage key={`${flag.at}-${flag.message}`} appearance="warning">
              <Text>{flag.message}</Text>
            </SectionMessage>
          ))}
          {view.verification.history.length === 0 ? (
            <Text>Not submitted for verification yet.</Text>
          ) : (
            <List type="ordered">
              {view.verification.history.map((event) => (
                <ListItem key={`${event.type}-${event.at}`}>
                  <Text>{`${event.at.slice(0, 16).replace('T', ' ')} ${HISTORY_WORDS[event.type]} by ${event.by}${event.detail ? `: ${event.detail}` : ''}`}</Text>
                </ListItem>
              ))}
            </List>
          )}
        </Stack>
      )}
      {view.metric ? (
        <Stack space="space.100">
          <Metric metric={view.metric} />
          <CheckInForm onAdd={addCheckIn} />
        </Stack>
      ) : (
        <Text>
          {view.kind === 'goal'
            ? 'This goal has no success metric yet.'
            : 'This action is measured by completion.'}
        </Text>
      )}
      <Stack space="space.050">
        <Heading as="h4">Evidence</Heading>
        {view.evidence.length === 0 ? (
          <Text>No evidence linked.</Text>
        ) : (
          view.evidence.map((e) => (
            <Stack key={e.id} space="space.025">
              <Text>{`“${e.quote}”`}</Text>
              {e.url && (
                <Link href={e.url} openNewTab>
                  {e.title ?? e.url}
                </Link>
              )}
            </Stack>
          ))
        )}
      </Stack>
    </Stack>
  );
}
