import { Table, Text } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import type { RecipientState } from '@shared/domain/message';
import { RelativeTime } from '../../components/relative-time';
import { StatusBadge } from '../../components/status-badge';
import { TableHead } from '../../components/table-head';

export function RecipientTable({ recipients }: { recipients: RecipientState[] }) {
  return (
    <Table withTableBorder verticalSpacing="xs">
      <TableHead columns={['Recipient', 'Status', 'Attempts', 'Last reply', 'Next attempt', 'Updated']} />
      <Table.Tbody>
        {recipients.map((r) => (
          <Table.Tr key={r.address} data-testid="recipient-row">
            <Table.Td>{r.address}</Table.Td>
            <Table.Td>
              <StatusBadge status={r.status} />
            </Table.Td>
            <Table.Td>{r.attempts}</Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace">
                {r.lastReply || '—'}
              </Text>
            </Table.Td>
            <Table.Td>{r.nextAttemptAt === null ? '—' : <RelativeTime at={r.nextAttemptAt} />}</Table.Td>
            <Table.Td>{formatTime(r.updatedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
