import { Text, Timeline } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import type { MessageEvent } from '@shared/domain/message';

export function EventTimeline({ events }: { events: MessageEvent[] }) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No events recorded.
      </Text>
    );
  }
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2}>
      {events.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: events are append-only, so a position never changes meaning
        <Timeline.Item key={i} title={e.recipient ? `${e.type} · ${e.recipient}` : e.type}>
          <Text size="sm">{e.detail}</Text>
          <Text size="xs" c="dimmed">
            {formatTime(e.at)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
