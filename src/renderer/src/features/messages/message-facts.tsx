import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import { formatBytes, formatTime } from '@shared/domain/format';
import type { MessageDetail } from '@shared/domain/message';
import type { ReactNode } from 'react';
import { ModeBadge } from '../connections/mode-badge';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Stack>
  );
}

export function MessageFacts({ message: m }: { message: MessageDetail }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="sm">
      <Fact label="From">{m.from || '—'}</Fact>
      <Fact label="MAIL FROM">
        <Code>{m.mailFrom || '<>'}</Code>
      </Fact>
      <Fact label="Recipients">{m.recipients.join(', ')}</Fact>
      <Fact label="Accepted">{formatTime(m.acceptedAt)}</Fact>
      <Fact label="Size">
        {formatBytes(m.size)} ({m.size.toLocaleString()} bytes)
      </Fact>
      <Fact label="Connection">
        {m.connectionName} <ModeBadge mode={m.mode} />
      </Fact>
      <Fact label="Client">
        {m.client.address} · HELO <Code>{m.client.helo}</Code>
      </Fact>
      <Fact label="TLS">{m.client.tls || 'none'}</Fact>
      <Fact label="Message-ID">
        <Code>{m.messageId}</Code>
      </Fact>
    </SimpleGrid>
  );
}
