import { Group, Paper, SimpleGrid, Text } from '@mantine/core';
import type { StatCounts, StatsWindow } from '@shared/domain/stats';
import { isoDay } from '@shared/domain/time-zone';
import { consoleTimeZone } from '../../api/time-zone';
import { listHref } from '../../app/route-filters';
import { localDay } from '../../store/message-filters';
import { CountLink } from './count-link';
import { bouncedOf, formatRate } from './stat-format';

/** The local day a window starts on: the Bounces list filters by day. */
const dayOf = (since: number) => isoDay(consoleTimeZone, since);

/**
 * Messages accepted in the window: from its day when it starts at midnight (today), else from
 * its first hour exactly (the 7- and 30-day windows), so the list holds what the figure counts.
 */
const acceptedIn = (since: number) =>
  localDay(dayOf(since)) === since ? { fromDate: dayOf(since) } : { since };

/**
 * The figures each window shows; the test id is `dashboard-<key>-<window>`. Each opens the list
 * it counts, from the window's first day: recipients on Messages by status, reports on Bounces,
 * refusals after login on Activity.
 */
const FIGURES: {
  key: string;
  label: string;
  value: (c: StatCounts) => number;
  color?: string;
  /** The list, and the words of the link's title. */
  list: (since: number) => { href: string; title: string };
}[] = [
  {
    key: 'arrived',
    label: 'Arrived',
    value: (c) => c.arrived,
    list: (since) => ({
      href: listHref('messages', acceptedIn(since)),
      title: 'Show these messages',
    }),
  },
  {
    key: 'delivered',
    label: 'Delivered',
    value: (c) => c.delivered,
    color: 'green',
    list: (since) => ({
      href: listHref('messages', { status: 'delivered', ...acceptedIn(since) }),
      title: 'Show the delivered messages',
    }),
  },
  {
    key: 'bounced',
    label: 'Bounced',
    value: bouncedOf,
    color: 'red',
    list: (since) => ({
      href: listHref('bounces', { kind: 'bounce', from: dayOf(since) }),
      title: 'Show these bounces',
    }),
  },
  {
    key: 'deferred',
    label: 'Deferred',
    value: (c) => c.deferred,
    color: 'orange',
    list: (since) => ({
      href: listHref('messages', { status: 'deferred', ...acceptedIn(since) }),
      title: 'Show the deferred messages',
    }),
  },
  {
    key: 'complained',
    label: 'Complained',
    value: (c) => c.complained,
    color: 'pink',
    list: (since) => ({
      href: listHref('bounces', { kind: 'complaint', from: dayOf(since) }),
      title: 'Show these complaints',
    }),
  },
  {
    key: 'rejected',
    label: 'Rejected',
    value: (c) => c.rejected,
    color: 'gray',
    list: (since) => ({
      href: listHref('activity', { rejectedMail: true, since }),
      title: 'Show these refusals on the Activity page',
    }),
  },
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
              <CountLink
                value={value}
                color={value ? f.color : undefined}
                testId={`dashboard-${f.key}-${windowKey}`}
                {...(window ? f.list(window.since) : { href: '', title: '' })}
              />
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
