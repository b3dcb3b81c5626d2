import { Alert, SimpleGrid, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { ConnectionsNow } from './connections-now';
import { FirstMailHint } from './first-mail-hint';
import { LatestBounces } from './latest-bounces';
import { QueueNow } from './queue-now';
import { QuotaNow } from './quota-now';
import { RelaySummary } from './relay-summary';
import { TotalsCard } from './totals-card';
import { TrafficChart } from './traffic-chart';

/** The start page: is the relay up, how much mail went where, and what needs a look. */
export function DashboardPage() {
  const relay = useRelaydesk((s) => s.status.relay);
  const summary = useRelaydesk((s) => s.dashboard.summary);
  const error = useRelaydesk((s) => s.dashboard.error);
  const loadDashboard = useRelaydesk((s) => s.loadDashboard);
  useEffect(() => {
    void loadDashboard();
  }, [loadDashboard]);

  return (
    <Stack gap="md" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Dashboard"
        description="Mail through the relay, live: each recipient of the period's mail counted once, in its current state; rates count only recipients whose fate is known."
      />
      {error && (
        <Alert color="red" title="Some figures could not be loaded">
          {error}
        </Alert>
      )}
      {relay && <RelaySummary relay={relay} />}
      {relay?.counts.messages === 0 && <FirstMailHint />}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <TotalsCard title="Today" windowKey="today" window={summary?.today ?? null} />
        <TotalsCard title="Last 7 days" windowKey="7-days" window={summary?.last7Days ?? null} />
        <TotalsCard title="Last 30 days" windowKey="30-days" window={summary?.last30Days ?? null} />
      </SimpleGrid>
      <TrafficChart />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <QueueNow />
        <QuotaNow />
        <ConnectionsNow />
      </SimpleGrid>
      <LatestBounces />
    </Stack>
  );
}
