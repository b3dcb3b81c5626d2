import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { DnsCheckResult, DnsFindingStatus } from '@shared/domain/sending-domain';
import { RelativeTime } from '../../components/relative-time';
import { DnsRecordView } from './dns-record-view';

const COLOR: Record<DnsFindingStatus, string> = {
  ok: 'green',
  warning: 'yellow',
  missing: 'orange',
  error: 'red',
};
const CHECK_LABEL = { dkim: 'DKIM', spf: 'SPF', dmarc: 'DMARC', mx: 'Bounce MX' } as const;

/** The findings of a DNS check, each with what to do and the record to publish. */
export function DnsFindings({ result }: { result: DnsCheckResult }) {
  return (
    <Stack gap="xs" data-testid="dns-findings">
      <Text size="xs" c="dimmed">
        Checked <RelativeTime at={result.checkedAt} />
      </Text>
      {result.findings.map((f, i) => (
        <Paper key={`${f.check}-${f.keyId ?? i}`} withBorder p="xs" data-testid="dns-finding">
          <Group gap="xs" mb={4}>
            <Badge color={COLOR[f.status]} variant="light" size="sm">
              {f.status}
            </Badge>
            <Text size="sm" fw={500}>
              {CHECK_LABEL[f.check]}
            </Text>
          </Group>
          <Text size="sm" mb={f.record ? 6 : 0}>
            {f.message}
          </Text>
          {f.record && f.status !== 'ok' && <DnsRecordView record={f.record} />}
        </Paper>
      ))}
    </Stack>
  );
}
