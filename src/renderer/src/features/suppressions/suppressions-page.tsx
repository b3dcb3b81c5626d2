import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '@shared/domain/suppression';
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { RelativeTime } from '../../components/relative-time';
import { TableHead } from '../../components/table-head';
import { useRelaydesk } from '../../store';
import {
  AddSuppressionModal,
  exportSuppressions,
  ImportSuppressionsModal,
  RemoveSuppressionModal,
} from './suppression-dialogs';
import { SuppressionReasonBadge } from './suppression-reason-badge';

export function SuppressionsPage() {
  const list = useRelaydesk((s) => s.suppressions);
  const loadSuppressions = useRelaydesk((s) => s.loadSuppressions);
  const setFilters = useRelaydesk((s) => s.setSuppressionFilters);
  const openMessage = useRelaydesk((s) => s.openMessage);
  const [dialog, setDialog] = useState<'add' | 'import' | Suppression | null>(null);
  useEffect(() => {
    void loadSuppressions();
  }, [loadSuppressions]);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Suppressions"
        description={`Addresses Relaydesk refuses to send to (at RCPT TO, saying why). ${list.total} in all.`}
        actions={
          <Group gap="xs">
            <Button variant="default" onClick={() => void exportSuppressions()}>
              Export CSV
            </Button>
            <Button variant="default" onClick={() => setDialog('import')}>
              Import CSV
            </Button>
            <Button onClick={() => setDialog('add')}>Add address</Button>
          </Group>
        }
      />
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="part of an address"
          value={list.filters.text}
          onChange={(e) => setFilters({ text: e.currentTarget.value })}
          w={280}
          data-page-search
        />
        <Select
          label="Reason"
          data={[
            { value: '', label: 'Any reason' },
            ...SUPPRESSION_REASONS.map((r) => ({ value: r, label: r })),
          ]}
          value={list.filters.reason ?? ''}
          onChange={(v) => setFilters({ reason: (v || null) as SuppressionReason | null })}
          allowDeselect={false}
          w={160}
        />
      </Group>
      {list.error && <Alert color="red">{list.error}</Alert>}
      {list.items === null ? (
        !list.error && <Loader size="sm" />
      ) : list.items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text fw={500}>No suppressed addresses</Text>
          <Text size="sm" c="dimmed">
            Hard bounces and complaints land here by themselves; you can also add addresses or import a list.
          </Text>
        </Paper>
      ) : (
        <Table withTableBorder verticalSpacing="xs">
          <TableHead columns={['Address', 'Why', 'Since', '']} />
          <Table.Tbody>
            {list.items.map((s) => (
              <Table.Tr key={s.address} data-testid="suppression-row">
                <Table.Td>{s.address}</Table.Td>
                <Table.Td maw={460}>
                  <Group gap="xs" wrap="nowrap">
                    <SuppressionReasonBadge reason={s.reason} />
                    <Text size="xs" lineClamp={2}>
                      {s.detail}
                    </Text>
                  </Group>
                  {s.messageId && (
                    <Anchor size="xs" component="button" onClick={() => openMessage(s.messageId ?? '')}>
                      the message that caused it
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  <RelativeTime at={s.createdAt} />
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => setDialog(s)}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.nextCursor && (
        <Button variant="default" onClick={() => void loadSuppressions(true)} style={{ alignSelf: 'center' }}>
          Load more
        </Button>
      )}
      {dialog === 'add' && <AddSuppressionModal onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportSuppressionsModal onClose={() => setDialog(null)} />}
      {dialog !== null && typeof dialog === 'object' && (
        <RemoveSuppressionModal entry={dialog} onClose={() => setDialog(null)} />
      )}
    </Stack>
  );
}
