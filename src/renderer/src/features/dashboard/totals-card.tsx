import { Anchor, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import type { StatCounts, StatsWindow } from '@shared/domain/stats';
import { useRelaydesk } from '../../store';
import { bouncedOf, formatCount, formatRate } from './stat-format';

/**
 * The figures each window shows; the test id is `dashboard-<key>-<window>`. `activity`: the
 * figure opens the Activity page with the refusals it counts.
 */
const FIGURES: {
  key: string;
  label: string;
  value: (c: StatCounts) => number;
  color?: string;
  activity?: true;
}[] = [
  { key: 'arrived', label: 'Arrived', value: (c) => c.arrived },
  { key: 'delivered', label: 'Delivered', value: (c) => c.delivered, color: 'green' },
  { key: 'bounced', label: 'Bounced', value: bouncedOf, color: 'red' },
  { key: 'deferred', label: 'Deferred', value: (c) => c.deferred, color: 'orange' },
  { key: 'complained', label: 'Complained', value: (c) => c.complained, color: 'pink' },
  { key: 'rejected', label: 'Rejected', value: (c) => c.rejected, color: 'gray', activity: true },
];

export function TotalsCard({
  title,
  windowKey,
  window,
}: {
  title: string;
  /** today, 7-days, 30-days: the end of each test id. */
  windowKey: string;
  /** Null until the first summary arrived. */
  window: StatsWindow | null;
}) {
  const openActivity = useRelaydesk((s) => s.openActivity);
  return (
    <Paper withBorder p="md" data-testid={`dashboard-totals-${windowKey}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb="xs">
        {title}
      </Text>
      <SimpleGrid cols={3} spacing="xs" verticalSpacing="xs">
        {FIGURES.map((f) => {
          const value = window ? f.value(window.counts) : null;
          return (
            <div key={f.key}>
              <Text size="xs" c="dimmed">
                {f.label}
              </Text>
              {f.activity && window ? (
                <Anchor
                  component="button"
                  size="lg"
                  fw={700}
                  title="Show these refusals on the Activity page"
                  data-testid={`dashboard-${f.key}-${windowKey}`}
                  onClick={() => openActivity({ rejectedMail: true, since: window.since })}
                >
                  {formatCount(value ?? 0)}
                </Anchor>
              ) : (
                <Text
                  size="lg"
                  fw={700}
                  c={value ? f.color : undefined}
                  data-testid={`dashboard-${f.key}-${windowKey}`}
                >
                  {value === null ? '…' : formatCount(value)}
                </Text>
              )}
            </div>
          );
        })}
      </SimpleGrid>
      <Group gap="lg" mt="sm" pt="xs" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Rate
          label="Delivery rate"
          testId={`dashboard-delivery-rate-${windowKey}`}
          rate={window?.deliveryRate}
        />
        <Rate label="Bounce rate" testId={`dashboard-bounce-rate-${windowKey}`} rate={window?.bounceRate} />
      </Group>
    </Paper>
  );
}

function Rate({ label, rate, testId }: { label: string; rate: number | null | undefined; testId: string }) {
  return (
    <Text size="sm" c="dimmed">
      {label}{' '}
      <Text span fw={700} c="var(--mantine-color-text)" data-testid={testId}>
        {rate === undefined ? '…' : formatRate(rate)}
      </Text>
    </Text>
  );
}
