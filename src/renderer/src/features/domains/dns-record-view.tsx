import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { DnsRecord } from '@shared/domain/sending-domain';
import { CopyValue } from '../../components/copy-value';

/** A DNS record to publish: name and value with copy buttons, and the 255-byte split some DNS providers want. */
export function DnsRecordView({ record }: { record: DnsRecord }) {
  const quoted = record.strings.map((s) => `"${s}"`).join(' ');
  return (
    <Stack gap={4} data-testid="dns-record">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Badge variant="outline" size="sm" w={44}>
          {record.type}
        </Badge>
        <Code fz="xs" data-testid="dns-record-name" style={{ wordBreak: 'break-all' }}>
          {record.name}
        </Code>
        <CopyValue value={record.name} label="record name" />
      </Group>
      <Group gap="xs" wrap="nowrap" align="flex-start" pl={52}>
        <Code
          fz="xs"
          block
          data-testid="dns-record-value"
          style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}
        >
          {record.value}
        </Code>
        <CopyValue value={record.value} label="record value" />
      </Group>
      {record.strings.length > 1 && (
        <Group gap="xs" wrap="nowrap" align="flex-start" pl={52}>
          <Text size="xs" c="dimmed" style={{ flex: 1 }}>
            If your DNS provider wants the value in quoted parts of at most 255 characters:{' '}
            <Code fz="xs" style={{ wordBreak: 'break-all' }}>
              {quoted}
            </Code>
          </Text>
          <CopyValue value={quoted} label="quoted parts" />
        </Group>
      )}
    </Stack>
  );
}
