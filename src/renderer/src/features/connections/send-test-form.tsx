import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { SIMULATOR_ADDRESSES, SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import { useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { useRelaydesk } from '../../store';

const SIMULATOR_OPTIONS = SIMULATOR_ADDRESSES.map((a) => ({ value: a.address, label: a.label }));

/**
 * "Send a test mail": a recipient typed in, or a simulator address picked from the list. The mail
 * goes through the relay's real intake, signing and delivery; once accepted it opens in the
 * message inspector (`onSent` closes the dialog it sits in).
 */
export function SendTestForm({
  connectionId,
  onSent,
  notYet,
}: {
  connectionId: string;
  onSent: () => void;
  /** Why sending must wait (it would close a dialog that still shows a secret); undefined: it may send. */
  notYet?: string;
}) {
  const openMessage = useRelaydesk((s) => s.openMessage);
  const [to, setTo] = useState('');
  const [sending, setSending] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const simulator = SIMULATOR_OPTIONS.some((o) => o.value === to) ? to : null;

  const send = async () => {
    setSending(true);
    setProblem(null);
    setFieldError(null);
    try {
      const { messageId } = await api.call('connections.sendTest', { connectionId, to: to.trim() });
      onSent();
      openMessage(messageId);
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['to']);
      setFieldError(fields.to ?? null);
      setProblem(other);
    } finally {
      setSending(false);
    }
  };

  return (
    <Stack gap="sm">
      <Group align="flex-end" grow>
        <TextInput
          label="Recipient"
          placeholder="you@example.org"
          value={to}
          error={fieldError}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <Select
          label="Or a simulator address"
          placeholder="Pick an outcome"
          data={SIMULATOR_OPTIONS}
          value={simulator}
          onChange={(value) => setTo(value ?? '')}
        />
      </Group>
      <Text size="xs" c="dimmed">
        Simulator addresses (@{SIMULATOR_DOMAIN}) never leave this computer and use no quota; each one ends in
        the outcome it names, through the real delivery and bounce handling.
      </Text>
      {problem && (
        <Alert color="red" title="The test mail was not sent">
          <Text size="sm">{problem}</Text>
        </Alert>
      )}
      {notYet && (
        <Text size="xs" c="dimmed" data-testid="send-test-not-yet">
          {notYet}
        </Text>
      )}
      <Button
        loading={sending}
        disabled={to.trim() === '' || notYet !== undefined}
        onClick={() => void send()}
        style={{ alignSelf: 'flex-start' }}
      >
        Send test mail
      </Button>
    </Stack>
  );
}
