import { AppShell, Badge, Group, Title } from '@mantine/core';
import { ActivityPage } from '../features/activity/activity-page';
import { BouncesPage } from '../features/bounces/bounces-page';
import { ConnectionsPage } from '../features/connections/connections-page';
import { DashboardPage } from '../features/dashboard/dashboard-page';
import { DomainsPage } from '../features/domains/domains-page';
import { MessagesPage } from '../features/messages/messages-page';
import { QueuePage } from '../features/queue/queue-page';
import { QuotaAlertBanner } from '../features/quota/quota-alert-banner';
import { QuotaPage } from '../features/quota/quota-page';
import { SettingsPage } from '../features/settings/settings-page';
import { SuppressionsPage } from '../features/suppressions/suppressions-page';
import { useRelaydesk } from '../store';
import { NavLinks } from './nav-links';
import { RelayProblems } from './relay-problems';
import { StatusBar } from './status-bar';

export function ConsoleShell() {
  const page = useRelaydesk((s) => s.navigation.page);
  const version = useRelaydesk((s) => s.status.relay?.version);
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 200, breakpoint: 0 }}
      footer={{ height: 36 }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="xs">
          <Title order={3}>Relaydesk</Title>
          {version && (
            <Badge variant="light" color="gray" size="sm" tt="none">
              v{version}
            </Badge>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavLinks />
      </AppShell.Navbar>
      <AppShell.Main h="100dvh" style={{ display: 'flex', flexDirection: 'column' }}>
        <RelayProblems />
        <QuotaAlertBanner />
        {page === 'dashboard' && <DashboardPage />}
        {page === 'messages' && <MessagesPage />}
        {page === 'queue' && <QueuePage />}
        {page === 'bounces' && <BouncesPage />}
        {page === 'suppressions' && <SuppressionsPage />}
        {page === 'connections' && <ConnectionsPage />}
        {page === 'domains' && <DomainsPage />}
        {page === 'quota' && <QuotaPage />}
        {page === 'settings' && <SettingsPage />}
        {page === 'activity' && <ActivityPage />}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
    </AppShell>
  );
}
