import { Badge, Group, Text, Timeline } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import type { AttemptOutcome, DeliveryAttempt } from '@shared/domain/message';

const COLOR: Record<AttemptOutcome, string> = {
  delivered: 'green',
  deferred: 'yellow',
  bounced: 'red',
  expired: 'orange',
};
const ROUTE = {
  override: 'route override',
  smarthost: 'smarthost',
  mx: 'MX',
  simulator: 'simulator',
} as const;

/** Every delivery attempt: when, to which server over what, and what it answered. */
export function AttemptTimeline({ attempts }: { attempts: DeliveryAttempt[] }) {
  if (attempts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No delivery attempt yet.
      </Text>
    );
  }
  return (
    <Timeline active={attempts.length - 1} bulletSize={14} lineWidth={2} data-testid="attempts">
      {attempts.map((a, i) => (
        <Timeline.Item
          // biome-ignore lint/suspicious/noArrayIndexKey: attempts are append-only
          key={i}
          title={
            <Group gap="xs">
              <Badge size="sm" variant="light" color={COLOR[a.outcome]}>
                {a.outcome}
              </Badge>
              <Text size="sm">{a.recipient}</Text>
            </Group>
          }
          data-testid="attempt"
        >
          <Text size="sm" ff="monospace">
            {[a.replyCode ?? '', a.enhancedStatus, a.reply].filter((p) => p !== '').join(' ') || '(no reply)'}
          </Text>
          <Text size="xs" c="dimmed">
            {formatTime(a.at)} · {ROUTE[a.route]} {a.host}
            {a.ip && a.ip !== a.host ? ` [${a.ip}]` : ''}:{a.port} · {a.tls || 'no TLS'} · {a.durationMs} ms
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
