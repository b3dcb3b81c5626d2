import { Badge, Button, Group, Table } from '@mantine/core';
import { formatEuro, type Statement } from '@shared/domain/quota';
import { api } from '../../api/client';
import { consoleTimeZone as timeZone } from '../../api/time-zone';
import { downloadText } from '../../components/download';
import { notifyError } from '../../components/notify';
import { TableHead } from '../../components/table-head';

/** A statement's own calendar day ("2026-06-15", in the zone it was asked in), as this console writes dates. */
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const day = (iso: string) => dateFormat.format(Date.parse(`${iso}T00:00:00Z`));

async function exportStatement(s: Statement, format: 'csv' | 'html') {
  try {
    const file = await api.call('quota.exportStatement', {
      periodStart: s.periodStart,
      format,
      timeZone,
    });
    downloadText(file.filename, file.contentType, file.content);
  } catch (err) {
    notifyError('Not exported', err);
  }
}

export function StatementsTable({ statements }: { statements: Statement[] }) {
  return (
    <Table withTableBorder verticalSpacing="xs" data-testid="statements">
      <TableHead columns={['Period', 'Blocks', 'Used', 'Expired', 'Overage', 'Total', '']} />
      <Table.Tbody>
        {statements.map((s) => (
          <Table.Tr key={s.periodStart} data-testid="statement-row">
            <Table.Td>
              <span data-testid="statement-period" data-first-day={s.firstDay} data-last-day={s.lastDay}>
                {day(s.firstDay)} – {day(s.lastDay)}
              </span>{' '}
              {s.open && (
                <Badge size="xs" variant="light">
                  open
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              {s.blocks.length} · {formatEuro(s.blocksMicros)}
            </Table.Td>
            <Table.Td>{s.used.toLocaleString()}</Table.Td>
            <Table.Td>{s.expired.toLocaleString()}</Table.Td>
            <Table.Td>
              {s.overage.toLocaleString()} · {formatEuro(s.overageMicros)}
            </Table.Td>
            <Table.Td fw={600}>{formatEuro(s.totalMicros)}</Table.Td>
            <Table.Td>
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Button size="xs" variant="subtle" onClick={() => void exportStatement(s, 'csv')}>
                  CSV
                </Button>
                <Button size="xs" variant="subtle" onClick={() => void exportStatement(s, 'html')}>
                  Printable page
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
