import { Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { BOUNCE_REASONS } from '@shared/domain/bounce';
import { useEffect, useState } from 'react';
import { ConnectionSelect } from '../../components/connection-select';
import { PageHeader } from '../../components/page-header';
import { PagedList } from '../../components/paged-list';
import { RelativeTime } from '../../components/relative-time';
import { TableHead } from '../../components/table-head';
import { useRelaydesk } from '../../store';
import type { BounceFilters } from '../../store/bounces-slice';
import { AnalyzeBox } from './analyze-box';
import { BounceDetailModal } from './bounce-detail-modal';
import { ReasonBadge } from './reason-badge';

export function BouncesPage() {
  const bounces = useRelaydesk((s) => s.bounces);
  const loadBounces = useRelaydesk((s) => s.loadBounces);
  const setFilters = useRelaydesk((s) => s.setBounceFilters);
  const [open, setOpen] = useState<number | null>(null);
  const f = bounces.filters;
  useEffect(() => {
    void loadBounces();
  }, [loadBounces]);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Bounces"
        description="Every bounce, complaint and auto-reply: what it means and what to do. Hard bounces and complaints put the address on the suppression list."
      />
      <AnalyzeBox />
      <Paper withBorder p="sm">
        <Group align="flex-end" gap="sm">
          <Select
            label="Reason"
            data={[
              { value: '', label: 'Any reason' },
              ...BOUNCE_REASONS.map((r) => ({ value: r, label: r })),
            ]}
            value={f.reason ?? ''}
            onChange={(v) => setFilters({ reason: (v || null) as BounceFilters['reason'] })}
            allowDeselect={false}
            searchable
            w={170}
          />
          <Select
            label="Hard or soft"
            data={[
              { value: '', label: 'Both' },
              { value: 'hard', label: 'Hard' },
              { value: 'soft', label: 'Soft' },
            ]}
            value={f.hard ?? ''}
            onChange={(v) => setFilters({ hard: (v || null) as BounceFilters['hard'] })}
            allowDeselect={false}
            w={120}
          />
          <Select
            label="Kind"
            data={[
              { value: '', label: 'Any kind' },
              { value: 'bounce', label: 'Bounce' },
              { value: 'complaint', label: 'Complaint' },
              { value: 'auto-reply', label: 'Auto-reply' },
            ]}
            value={f.kind ?? ''}
            onChange={(v) => setFilters({ kind: (v || null) as BounceFilters['kind'] })}
            allowDeselect={false}
            w={140}
          />
          <ConnectionSelect value={f.connectionId} onChange={(id) => setFilters({ connectionId: id })} />
          <TextInput
            label="From"
            type="date"
            value={f.from}
            onChange={(e) => setFilters({ from: e.currentTarget.value })}
            w={150}
          />
          <TextInput
            label="To"
            type="date"
            value={f.to}
            onChange={(e) => setFilters({ to: e.currentTarget.value })}
            w={150}
          />
          <TextInput
            label="Recipient or text"
            value={f.text}
            onChange={(e) => setFilters({ text: e.currentTarget.value })}
            w={200}
            data-page-search
          />
        </Group>
      </Paper>
      <PagedList
        count={bounces.items?.length ?? null}
        error={bounces.error}
        emptyTitle="No bounces"
        emptyText={`None recorded${Object.values(f).some(Boolean) ? ' for these filters' : ' yet'}.`}
        hasMore={bounces.nextCursor !== null}
        onMore={() => void loadBounces(true)}
      >
        <Table withTableBorder highlightOnHover verticalSpacing="xs">
          <TableHead columns={['When', 'Recipient', 'Reason', 'Reply', 'Message']} />
          <Table.Tbody>
            {(bounces.items ?? []).map((b) => (
              <Table.Tr
                key={b.id}
                data-testid="bounce-row"
                style={{ cursor: 'pointer' }}
                onClick={() => setOpen(b.id)}
              >
                <Table.Td>
                  <RelativeTime at={b.at} />
                  <Text size="xs" c="dimmed">
                    {b.origin === 'sync' ? 'during delivery' : 'report'}
                  </Text>
                </Table.Td>
                <Table.Td>{b.recipient}</Table.Td>
                <Table.Td>
                  <ReasonBadge reason={b.reason} hard={b.hard} />
                </Table.Td>
                <Table.Td maw={360}>
                  <Text size="xs" ff="monospace" lineClamp={2}>
                    {[b.replyCode, b.status, b.diagnostic].filter(Boolean).join(' ') || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {b.subject || '—'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {b.connectionName}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </PagedList>
      {open !== null && <BounceDetailModal id={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
