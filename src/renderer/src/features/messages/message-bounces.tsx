import { Card, Group, Stack, Text } from '@mantine/core';
import type { BounceRecord } from '@shared/domain/bounce';
import { formatTime } from '@shared/domain/format';
import { ReasonBadge } from '../bounces/reason-badge';

/** Bounces, complaints and auto-replies recorded for this mail, with what they mean. */
export function MessageBounces({ bounces }: { bounces: BounceRecord[] }) {
  if (bounces.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="message-bounces">
      {bounces.map((b) => (
        <Card key={b.id} withBorder padding="sm">
          <Group gap="xs" mb={4}>
            <ReasonBadge reason={b.reason} hard={b.hard} />
            <Text size="sm" fw={600}>
              {b.recipient}
            </Text>
            <Text size="xs" c="dimmed">
              {formatTime(b.at)} · {b.origin === 'sync' ? 'refused during delivery' : 'report received'}
              {b.remoteMta ? ` · ${b.remoteMta}` : ''}
            </Text>
          </Group>
          {b.diagnostic && (
            <Text size="sm" ff="monospace" mb={4} style={{ wordBreak: 'break-word' }}>
              {[b.replyCode, b.status, b.diagnostic].filter(Boolean).join(' ')}
            </Text>
          )}
          <Text size="sm">{b.explanation}</Text>
        </Card>
      ))}
    </Stack>
  );
}
