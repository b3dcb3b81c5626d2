import { Code, List, Paper, Text } from '@mantine/core';
import { useRelaydesk } from '../../store';

/** No messages: with filters, say so; without, explain how the first mail gets here. */
export function MessagesEmpty({ filtered }: { filtered: boolean }) {
  const relay = useRelaydesk((s) => s.status.relay);
  if (filtered) {
    return (
      <Paper withBorder p="xl">
        <Text fw={500}>No messages match these filters</Text>
        <Text size="sm" c="dimmed">
          Clear the search or the filters to see all messages. New matching mail appears here as it arrives.
        </Text>
      </Paper>
    );
  }
  const address = relay ? `${relay.smtp.publicHost}:${relay.smtp.port}` : 'the relay';
  return (
    <Paper withBorder p="xl">
      <Text fw={500} mb="xs">
        No messages yet
      </Text>
      <Text size="sm" mb="xs">
        Mail handed to Relaydesk appears here the moment it is accepted. To send the first one:
      </Text>
      <List size="sm" type="ordered" spacing={4}>
        <List.Item>
          Create a connection on the Connections page (left); it shows the SMTP access data once.
        </List.Item>
        <List.Item>
          Enter that access data in the sending system (server <Code>{address}</Code>, STARTTLS, the username
          and password), or try it from a terminal:
          <Code block mt={4}>
            {`swaks --server ${address} --tls --auth PLAIN --auth-user USERNAME --auth-password PASSWORD \\\n  --from shop@example.com --to someone@example.org --header 'Subject: Hello'`}
          </Code>
        </List.Item>
      </List>
    </Paper>
  );
}
