import { Alert, Button, Center, Code, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useRelaydesk } from '../store';

/** Shown in a browser when the console token is missing or wrong. */
export function TokenScreen() {
  const [token, setToken] = useState('');
  const rejected = useRelaydesk((s) => s.status.tokenSubmitted && s.status.link === 'unauthorized');
  const checking = useRelaydesk((s) => s.status.tokenSubmitted && s.status.link === 'connecting');
  const submitToken = useRelaydesk((s) => s.submitToken);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) submitToken(token.trim());
  };

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="xl" maw={560} w="100%">
        <form onSubmit={submit}>
          <Stack>
            <Title order={2}>Relaydesk</Title>
            <Text>This console needs its access token.</Text>
            <Text size="sm" c="dimmed">
              Open the console URL that <Code>npm run serve</Code> printed at start: it ends in{' '}
              <Code>#token=…</Code> and signs you in. Or paste the token from the file{' '}
              <Code>&lt;data-dir&gt;/console-token</Code> below.
            </Text>
            {rejected && (
              <Alert color="red" title="Token not accepted">
                Relaydesk did not accept that token. Copy it again from the console-token file of the running
                instance; it changes only when that file is removed.
              </Alert>
            )}
            <PasswordInput
              label="Console token"
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              autoComplete="off"
              data-autofocus
            />
            <Button type="submit" loading={checking} disabled={!token.trim()}>
              Open console
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
