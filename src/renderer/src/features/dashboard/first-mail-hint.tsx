import { Button, Code, Group, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import { useRelaydesk } from '../../store';
import { ConnectWizard } from '../connections/connect-wizard';

/** Before the first mail: how a shop gets connected, with the wizard one click away. */
export function FirstMailHint() {
  const relay = useRelaydesk((s) => s.status.relay);
  const hasConnections = useRelaydesk((s) => (s.connections.list?.length ?? 0) > 0);
  const navigate = useRelaydesk((s) => s.navigate);
  const [wizard, setWizard] = useState(false);
  const address = relay ? `${relay.smtp.publicHost}:${relay.smtp.port}` : 'the relay';
  return (
    <Paper withBorder p="md" bg="var(--mantine-primary-color-light)" data-testid="dashboard-first-mail">
      <Text fw={600}>No mail yet</Text>
      <Text size="sm" mb="sm">
        {hasConnections
          ? 'A connection is ready. '
          : 'Connect your shop first: Relaydesk creates an SMTP login for it. '}
        In the shop's mail settings enter server <Code>{address}</Code> with STARTTLS and that login; every
        mail it sends then shows up here the moment it arrives. To try the whole path first, use{' '}
        <i>Send test mail</i> on a connection: simulator addresses end delivered, bounced or complained
        without leaving this computer.
      </Text>
      <Group gap="sm">
        <Button onClick={() => setWizard(true)}>Connect a shop</Button>
        <Button variant="default" onClick={() => navigate('connections')}>
          Open Connections
        </Button>
      </Group>
      {wizard && <ConnectWizard onClose={() => setWizard(false)} />}
    </Paper>
  );
}
