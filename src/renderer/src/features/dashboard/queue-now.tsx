import { Badge, Group, Text } from '@mantine/core';
import { useRelaydesk } from '../../store';
import { DashboardCard } from './dashboard-card';
import { formatCount } from './stat-format';

/** What waits for delivery right now; status pushes keep it current. */
export function QueueNow() {
  const queue = useRelaydesk((s) => s.status.relay?.queue);
  return (
    <DashboardCard title="Queue now" more={{ page: 'queue', label: 'Open queue' }} testId="dashboard-queue">
      {queue ? (
        <>
          <Group gap="xl">
            <Count label="Queued" value={queue.counts.queued} testId="dashboard-queue-queued" />
            <Count label="Sending" value={queue.counts.sending} testId="dashboard-queue-sending" />
            <Count label="Deferred" value={queue.counts.deferred} testId="dashboard-queue-deferred" />
          </Group>
          {queue.paused.length > 0 ? (
            <Badge
              color="orange"
              variant="light"
              size="sm"
              tt="none"
              mt="xs"
              data-testid="dashboard-queue-paused"
            >
              {queue.paused.includes('*') ? 'all delivery paused' : `paused: ${queue.paused.join(', ')}`}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed" mt="xs">
              {queue.counts.queued + queue.counts.sending + queue.counts.deferred === 0
                ? 'Nothing waiting: every mail is out.'
                : `Delivering; ${queue.activeConnections} open to recipient servers.`}
            </Text>
          )}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Waiting for the relay…
        </Text>
      )}
    </DashboardCard>
  );
}

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} data-testid={testId}>
        {formatCount(value)}
      </Text>
    </div>
  );
}
