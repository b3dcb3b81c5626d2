import { Table } from '@mantine/core';
import type { HeaderField } from '@shared/domain/message';

export function HeadersTable({ headers }: { headers: HeaderField[] }) {
  return (
    <Table withTableBorder verticalSpacing={4} fz="sm" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={220}>Header</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {headers.map((h, i) => (
          // Header names repeat (Received, DKIM-Signature), so position is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: the header order is fixed for a stored message
          <Table.Tr key={`${i}:${h.name}`}>
            <Table.Td ff="monospace" style={{ verticalAlign: 'top' }}>
              {h.name}
            </Table.Td>
            <Table.Td ff="monospace" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {h.value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
