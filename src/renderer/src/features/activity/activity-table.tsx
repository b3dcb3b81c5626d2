import { Table, Text } from '@mantine/core';
import type { ActivityEntry } from '@shared/domain/activity';
import { RelativeTime } from '../../components/relative-time';
import { TableHead } from '../../components/table-head';
import { CategoryBadge } from './category-badge';

/** Who the refusal was about: the connection, or the username a failed login tried. */
function Who({ entry }: { entry: ActivityEntry }) {
  if (!entry.connectionName && !entry.username) return <Text c="dimmed">—</Text>;
  return (
    <>
      {entry.connectionName && <Text size="sm">{entry.connectionName}</Text>}
      {entry.username && (
        <Text size="xs" c="dimmed">
          user {entry.username}
        </Text>
      )}
    </>
  );
}

export function ActivityTable({ items }: { items: ActivityEntry[] }) {
  return (
    <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="activity-table">
      <TableHead columns={['When', 'Client', 'Connection', 'Command', 'Reply', 'Category']} />
      <Table.Tbody>
        {items.map((e) => (
          <Table.Tr key={e.id} data-testid="activity-row">
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <RelativeTime at={e.at} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {e.clientAddress || '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Who entry={e} />
            </Table.Td>
            <Table.Td maw={240}>
              <Text size="xs" ff="monospace" lineClamp={2}>
                {e.command || '(at connect)'}
              </Text>
            </Table.Td>
            <Table.Td maw={420}>
              <Text size="xs" ff="monospace" lineClamp={3}>
                {e.reply}
              </Text>
            </Table.Td>
            <Table.Td>
              <CategoryBadge category={e.category} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
