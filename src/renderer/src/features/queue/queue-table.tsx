import { Anchor, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import type { QueueEntry } from '@shared/domain/queue';
import { useState } from 'react';
import { RelativeTime } from '../../components/relative-time';
import { StatusBadge } from '../../components/status-badge';
import { TableHead } from '../../components/table-head';
import { useRelaydesk } from '../../store';
import { CancelDeliveryModal } from './cancel-delivery-modal';
import { retryMessage } from './queue-actions';

export function QueueTable({ items }: { items: QueueEntry[] }) {
  const openMessage = useRelaydesk((s) => s.openMessage);
  const [cancelling, setCancelling] = useState<string | null>(null);
  return (
    <Table.ScrollContainer minWidth={1000}>
      {cancelling && <CancelDeliveryModal messageId={cancelling} onClose={() => setCancelling(null)} />}
      <Table withTableBorder verticalSpacing="xs" highlightOnHover>
        <TableHead
          columns={[
            'Recipient',
            'Status',
            'Attempts',
            'Next attempt',
            'Last reply',
            'Message',
            'Gives up',
            '',
          ]}
        />
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.recipientId} data-testid="queue-row">
              <Table.Td>
                <Text size="sm">{e.address}</Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={e.status} />
              </Table.Td>
              <Table.Td>{e.attempts}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {e.status === 'sending' || e.nextAttemptAt === null ? (
                    '—'
                  ) : (
                    <RelativeTime at={e.nextAttemptAt} />
                  )}
                </Text>
              </Table.Td>
              <Table.Td maw={320}>
                <Tooltip label={e.lastReply || 'no attempt yet'} multiline maw={480} withArrow>
                  <Text size="xs" ff="monospace" lineClamp={2} data-testid="queue-last-reply">
                    {e.lastReply || '—'}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td maw={240}>
                <Anchor size="sm" component="button" onClick={() => openMessage(e.messageId)} lineClamp={1}>
                  {e.subject || '(no subject)'}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {e.connectionName}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <RelativeTime at={e.expiresAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <Button
                    size="xs"
                    variant="subtle"
                    disabled={e.status === 'sending'}
                    onClick={() => void retryMessage(e.messageId)}
                  >
                    Retry now
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    disabled={e.status === 'sending'}
                    onClick={() => setCancelling(e.messageId)}
                  >
                    Cancel
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
