import { Table } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import type { RecipientState } from '@shared/domain/message';
import { StatusBadge } from '../../components/status-badge';

export function RecipientTable({ recipients }: { recipients: RecipientState[] }) {
  return (
    <Table withTableBorder verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Recipient</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Attempts</Table.Th>
          <Table.Th>Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {recipients.map((r) => (
          <Table.Tr key={r.address} data-testid="recipient-row">
            <Table.Td>{r.address}</Table.Td>
            <Table.Td>
              <StatusBadge status={r.status} />
            </Table.Td>
            <Table.Td>{r.attempts}</Table.Td>
            <Table.Td>{formatTime(r.updatedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
