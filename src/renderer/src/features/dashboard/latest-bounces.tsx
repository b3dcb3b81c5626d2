import { Table, Text } from '@mantine/core';
import { RelativeTime } from '../../components/relative-time';
import { useRelaydesk } from '../../store';
import { ReasonBadge } from '../bounces/reason-badge';
import { DashboardCard } from './dashboard-card';

/** The newest bounces; a click opens the message the bounce belongs to, when it is known. */
export function LatestBounces() {
  const items = useRelaydesk((s) => s.dashboard.latestBounces);
  const openMessage = useRelaydesk((s) => s.openMessage);
  return (
    <DashboardCard
      title="Latest bounces"
      more={{ page: 'bounces', label: 'All bounces' }}
      testId="dashboard-bounces"
    >
      {items === null ? (
        <Text size="sm" c="dimmed">
          …
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No bounces recorded.
        </Text>
      ) : (
        <Table verticalSpacing={4} highlightOnHover>
          <Table.Tbody>
            {items.map((b) => {
              const messageId = b.messageId;
              return (
                <Table.Tr
                  key={b.id}
                  data-testid="dashboard-bounce"
                  style={messageId ? { cursor: 'pointer' } : undefined}
                  title={messageId ? 'Open the message' : undefined}
                  onClick={messageId ? () => openMessage(messageId) : undefined}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="xs" c="dimmed">
                      <RelativeTime at={b.at} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate maw={260}>
                      {b.recipient}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ReasonBadge reason={b.reason} hard={b.hard} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </DashboardCard>
  );
}
