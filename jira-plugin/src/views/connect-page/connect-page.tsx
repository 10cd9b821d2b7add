import { Box, Button, Code, DynamicTable, Heading, Lozenge, SectionMessage, Stack, Text } from '@forge/react';
import { type ReactElement, useEffect, useState } from 'react';
import type { ConnectState, NewCode } from '../../resolvers/connect-resolver';
import { callResolver } from '../call-resolver';

const day = (iso: string | undefined): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

/**
 * "Connect a browser": the one page where a person links the cxplan extension in their browser to the team
 * workspace. Jira knows who is looking, so the code made here pairs a browser as that person; the page also lists
 * their browsers (everyone's, for an admin) with a way to disconnect each.
 */
export function ConnectPage(): ReactElement {
  const [state, setState] = useState<ConnectState | undefined>();
  const [code, setCode] = useState<NewCode | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      const answer = await callResolver<ConnectState>('getConnectState');
      if (answer.ok) setState(answer.value);
      else setError(answer.message);
    })();
  }, []);

  const makeCode = async (): Promise<void> => {
    setBusy(true);
    const answer = await callResolver<NewCode>('makePairingCode');
    setBusy(false);
    if (answer.ok) {
      setCode(answer.value);
      setError(undefined);
    } else setError(answer.message);
  };
  const revoke = async (deviceId: string): Promise<void> => {
    const answer = await callResolver<ConnectState>('revokeDevice', { deviceId });
    if (answer.ok) setState(answer.value);
    else setError(answer.message);
  };

  const head = {
    cells: [
      { key: 'name', content: 'Browser' },
      ...(state?.me.admin ? [{ key: 'person', content: 'Person' }] : []),
      { key: 'paired', content: 'Connected' },
      { key: 'seen', content: 'Last sent' },
      { key: 'state', content: '' },
    ],
  };
  const rows = (state?.devices ?? []).map((d) => ({
    key: d.deviceId,
    cells: [
      { key: 'name', content: d.name },
      ...(state?.me.admin ? [{ key: 'person', content: d.personName }] : []),
      { key: 'paired', content: day(d.pairedAt) },
      { key: 'seen', content: day(d.lastSeenAt) },
      {
        key: 'state',
        content: d.revokedAt ? (
          <Lozenge appearance="removed">Disconnected {day(d.revokedAt)}</Lozenge>
        ) : (
          <Button appearance="subtle" onClick={() => void revoke(d.deviceId)}>
            Disconnect
          </Button>
        ),
      },
    ],
  }));

  return (
    <Stack space="space.300">
      <Heading size="large">Connect a browser to the team workspace</Heading>
      {error && (
        <SectionMessage appearance="error" title="Something went wrong">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {!state && !error && <Text>Loading…</Text>}
      {state && (
        <Text>
          Connecting as {state.me.name}. Clips you capture and changes you make in the extension will carry
          your name, and you will see the whole team's clips and plan.
        </Text>
      )}
      <Box>
        <Stack space="space.100">
          <Text>
            1. Make a code below. 2. In the cxplan extension open Options → Connect to Jira and paste the
            whole line. The code works once, for 10 minutes.
          </Text>
          <Button appearance="primary" onClick={() => void makeCode()} isDisabled={busy}>
            Make a connection code
          </Button>
          {code && (
            <SectionMessage appearance="information" title={`Your code: ${code.code}`}>
              <Text>Paste this line into the extension (valid until {day(code.expiresAt)} UTC):</Text>
              <Code>{code.connection}</Code>
            </SectionMessage>
          )}
        </Stack>
      </Box>
      <Heading size="medium">{state?.me.admin ? "Everyone's browsers" : 'Your browsers'}</Heading>
      <DynamicTable head={head} rows={rows} emptyView={<Text>No browser is connected yet.</Text>} />
    </Stack>
  );
}
