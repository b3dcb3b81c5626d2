import { Badge, Group, Text } from '@mantine/core';
import { listHref } from '../../app/route-filters';
import { useRelaydesk } from '../../store';
import { CountLink } from './count-link';
import { DashboardCard } from './dashboard-card';

const QUEUE_STATES = [
  { status: 'queued', label: 'Queued' },
  { status: 'sending', label: 'Sending' },
  { status: 'deferred', label: 'Deferred' },
] as const;

/** What waits for delivery right now; status pushes keep it current. */
export function QueueNow() {
  const queue = useRelaydesk((s) => s.status.relay?.queue);
  return (
    <DashboardCard title="Queue now" more={{ page: 'queue', label: 'Open queue' }} testId="dashboard-queue">
      {queue ? (
        <>
          <Group gap="xl">
            {QUEUE_STATES.map(({ status, label }) => (
              <div key={status}>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <CountLink
                  value={queue.counts[status]}
                  href={listHref('queue', { status })}
                  title={`Show the ${label.toLowerCase()} mail in the queue`}
                  testId={`dashboard-queue-${status}`}
                />
              </div>
            ))}
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
