import { Badge, Code, Table, Text } from '@mantine/core';
import type { WebhookAttempt, WebhookAttemptOutcome } from '@shared/domain/webhook';
import { RelativeTime } from '../../components/relative-time';
import { TableHead } from '../../components/table-head';

const OUTCOME_COLORS: Record<WebhookAttemptOutcome, string> = {
  delivered: 'green',
  retrying: 'orange',
  failed: 'red',
  test: 'blue',
};

/** The attempts of one endpoint, newest first. */
export function WebhookHistory({ attempts }: { attempts: WebhookAttempt[] }) {
  if (attempts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No events sent yet. Use "Send test event" to try the receiver.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing={4} fz="sm" withTableBorder data-testid="webhook-history">
        <TableHead columns={['When', 'Event', 'Answer', 'Took', 'Outcome']} />
        <Table.Tbody>
          {attempts.map((a) => (
            <Table.Tr key={a.id} data-testid="webhook-attempt">
              <Table.Td>
                <RelativeTime at={a.at} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{a.type}</Text>
                <Code fz="xs">{a.eventId}</Code>
              </Table.Td>
              <Table.Td>
                {a.statusCode !== null && <Text size="sm">HTTP {a.statusCode}</Text>}
                {a.error && (
                  <Text size="xs" c="red">
                    {a.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{a.durationMs} ms</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLORS[a.outcome]} variant="light" size="sm">
                  {a.outcome}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
