import { Badge, Switch, Table, Text } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import { formatEuro, type QuotaBlock } from '@shared/domain/quota';
import { api } from '../../api/client';
import { consoleTimeZone as timeZone } from '../../api/time-zone';
import { notifyError } from '../../components/notify';
import { TableHead } from '../../components/table-head';
import { useRelaydesk } from '../../store';

export function BlocksTable({ blocks }: { blocks: QuotaBlock[] }) {
  const setQuotaSummary = useRelaydesk((s) => s.setQuotaSummary);
  const toggle = async (b: QuotaBlock, autoRenew: boolean) => {
    try {
      setQuotaSummary(await api.call('quota.setAutoRenew', { blockId: b.id, autoRenew, timeZone }));
    } catch (err) {
      notifyError('Not changed', err);
    }
  };
  return (
    <Table withTableBorder verticalSpacing="xs" data-testid="quota-blocks">
      <TableHead columns={['Quota', 'Used', 'Left', 'Valid', 'Price', 'Renews']} />
      <Table.Tbody>
        {blocks.map((b) => (
          <Table.Tr key={b.id} data-testid="quota-block">
            <Table.Td>
              <Text size="sm" fw={500}>
                {b.kind === 'demo' ? 'Demo' : 'Block'} · {b.size.toLocaleString()}
              </Text>
              <Badge size="xs" variant="light" color={b.state === 'active' ? 'green' : 'gray'}>
                {b.state}
              </Badge>
            </Table.Td>
            <Table.Td>{b.used.toLocaleString()}</Table.Td>
            <Table.Td>
              {b.state === 'active'
                ? (b.size - b.used).toLocaleString()
                : `${b.expired.toLocaleString()} expired`}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{b.validUntil === null ? 'no end' : `until ${formatTime(b.validUntil)}`}</Text>
            </Table.Td>
            <Table.Td>{b.kind === 'demo' ? 'free' : formatEuro(b.priceMicros)}</Table.Td>
            <Table.Td>
              {b.kind === 'block' && b.state === 'active' ? (
                <Switch
                  size="sm"
                  checked={b.autoRenew}
                  onChange={(e) => void toggle(b, e.currentTarget.checked)}
                  aria-label="Renew"
                />
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
