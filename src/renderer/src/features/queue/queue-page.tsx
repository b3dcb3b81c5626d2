import { Alert, Badge, Button, Group, Loader, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { notifyError } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import type { QueueFilters } from '../../store/queue-slice';
import { QueueTable } from './queue-table';

/** Pause or resume all delivery, or one recipient domain. */
async function setPaused(pause: boolean, domain?: string) {
  try {
    await api.call(pause ? 'queue.pause' : 'queue.resume', domain ? { domain } : {});
  } catch (err) {
    notifyError(pause ? 'Could not pause delivery' : 'Could not resume delivery', err);
  }
}

export function QueuePage() {
  const queue = useRelaydesk((s) => s.queue);
  const paused = useRelaydesk((s) => s.status.relay?.queue.paused) ?? [];
  const activeConnections = useRelaydesk((s) => s.status.relay?.queue.activeConnections) ?? 0;
  const loadQueue = useRelaydesk((s) => s.loadQueue);
  const loadMoreQueue = useRelaydesk((s) => s.loadMoreQueue);
  const setQueueFilters = useRelaydesk((s) => s.setQueueFilters);
  const [domain, setDomain] = useState('');
  const allPaused = paused.includes('*');

  useEffect(() => {
    void loadQueue();
  }, [loadQueue]);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Queue"
        description={`Recipients waiting for delivery, soonest first. ${activeConnections} delivery connection(s) open.`}
        actions={
          <Button
            color={allPaused ? 'green' : 'orange'}
            variant="light"
            onClick={() => void setPaused(!allPaused)}
          >
            {allPaused ? 'Resume all delivery' : 'Pause all delivery'}
          </Button>
        }
      />
      {paused.length > 0 && (
        <Alert
          color="orange"
          title={allPaused ? 'All delivery is paused' : 'Delivery is paused for some domains'}
        >
          <Text size="sm" mb="xs">
            Mail keeps arriving and waits here until delivery resumes.
          </Text>
          <Group gap="xs">
            {paused
              .filter((d) => d !== '*')
              .map((d) => (
                <Button key={d} size="xs" variant="default" onClick={() => void setPaused(false, d)}>
                  Resume {d}
                </Button>
              ))}
          </Group>
        </Alert>
      )}
      <Paper withBorder p="sm">
        <Group align="flex-end">
          <Select
            label="Status"
            data={[
              { value: '', label: 'Any waiting' },
              { value: 'queued', label: 'Queued' },
              { value: 'deferred', label: 'Deferred' },
              { value: 'sending', label: 'Sending' },
            ]}
            value={queue.filters.status ?? ''}
            onChange={(v) => setQueueFilters({ status: (v || null) as QueueFilters['status'] })}
            allowDeselect={false}
            w={160}
          />
          <TextInput
            label="Recipient domain"
            placeholder="example.org"
            value={queue.filters.domain}
            onChange={(e) => setQueueFilters({ domain: e.currentTarget.value })}
            w={220}
            data-page-search
          />
          <TextInput
            label="Pause one domain"
            placeholder="slow-provider.example"
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value)}
            w={220}
          />
          <Button
            variant="default"
            disabled={!domain.trim()}
            onClick={() => {
              void setPaused(true, domain.trim().toLowerCase());
              setDomain('');
            }}
          >
            Pause domain
          </Button>
        </Group>
      </Paper>
      {queue.error && (
        <Alert color="red" title="Could not load the queue">
          {queue.error}
        </Alert>
      )}
      {queue.items === null ? (
        !queue.error && <Loader size="sm" />
      ) : queue.items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text fw={500}>Nothing waiting</Text>
          <Text size="sm" c="dimmed">
            Every accepted mail has been delivered, has bounced, or is a sandbox capture.{' '}
            <Badge size="xs">live</Badge>
          </Text>
        </Paper>
      ) : (
        <>
          <QueueTable items={queue.items} />
          {queue.nextCursor && (
            <Button variant="default" onClick={() => void loadMoreQueue()} style={{ alignSelf: 'center' }}>
              Load more
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
