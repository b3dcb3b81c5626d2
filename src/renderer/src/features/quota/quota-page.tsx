import { BarChart } from '@mantine/charts';
import { Alert, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import { formatEuro } from '@shared/domain/quota';
import { useEffect } from 'react';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { AlertSettings } from './alert-settings';
import { BlocksTable } from './blocks-table';
import { BookBlock } from './book-block';
import { StatementsTable } from './statements-table';

function Figure({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

export function QuotaPage() {
  const { summary, statements, error } = useRelaydesk((s) => s.quota);
  const loadQuota = useRelaydesk((s) => s.loadQuota);
  useEffect(() => {
    void loadQuota();
  }, [loadQuota]);

  if (!summary) return error ? <Alert color="red">{error}</Alert> : <Loader size="sm" />;
  const overageAmount = summary.overage * summary.overagePriceMicros;
  return (
    <Stack gap="md" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Quota & Billing"
        description="Every mail the relay sends uses quota, bounced ones included; sandbox captures do not. Past zero, sending goes on and the overage is billed on the next statement."
      />
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure
          label="Balance"
          value={summary.balance.toLocaleString()}
          hint={`${summary.remaining.toLocaleString()} left in quota`}
          testId="quota-balance"
        />
        <Figure
          label="Overage this period"
          value={summary.overage.toLocaleString()}
          hint={`${formatEuro(overageAmount)} at ${formatEuro(summary.overagePriceMicros)} a mail`}
        />
        <Figure label="Period ends" value={formatTime(summary.periodEnd)} hint="statement date" />
        <Figure
          label={summary.onDemo ? 'Demo limit' : 'Hourly limit'}
          value={summary.onDemo ? `${summary.sentLastHour} / ${summary.demoHourlyLimit}` : 'none'}
          hint={
            summary.rateLimitedUntil
              ? `limit reached until ${formatTime(summary.rateLimitedUntil)}`
              : summary.onDemo
                ? 'mails in the last hour (demo)'
                : 'a block is active'
          }
          testId="quota-limit"
        />
      </SimpleGrid>
      <BookBlock summary={summary} />
      <Paper withBorder p="md">
        <Title order={5} mb="sm">
          Mails billed per day
        </Title>
        <BarChart
          h={220}
          data={summary.usageByDay}
          dataKey="day"
          type="stacked"
          series={[
            { name: 'used', label: 'From quota', color: 'blue.6' },
            { name: 'overage', label: 'Overage', color: 'orange.6' },
          ]}
          withLegend
          tickLine="none"
          xAxisProps={{ interval: 9 }}
          data-testid="quota-chart"
        />
      </Paper>
      <Group grow align="flex-start">
        <Stack gap="xs">
          <Title order={5}>Quota</Title>
          <BlocksTable blocks={summary.blocks} />
        </Stack>
      </Group>
      <Stack gap="xs">
        <Title order={5}>Statements</Title>
        {statements ? <StatementsTable statements={statements} /> : <Loader size="sm" />}
      </Stack>
      <AlertSettings key={`${summary.alert.threshold}|${summary.alert.adminEmail}`} summary={summary} />
    </Stack>
  );
}
