import { AppShell, Badge, Burger, Group, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { MouseEvent } from 'react';
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
import { ColorSchemeSwitch } from './color-scheme-switch';
import { NavLinks } from './nav-links';
import { RelayProblems } from './relay-problems';
import { StatusBar } from './status-bar';

/** Narrower than this (62em, ~1000 px) the sidebar collapses behind a burger. */
const NAVBAR_BREAKPOINT = 'md';

export function ConsoleShell() {
  const page = useRelaydesk((s) => s.navigation.page);
  const version = useRelaydesk((s) => s.status.relay?.version);
  // Below the navbar's breakpoint the sidebar is a drawer behind the burger.
  const [navOpened, nav] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 200, breakpoint: NAVBAR_BREAKPOINT, collapsed: { mobile: !navOpened } }}
      footer={{ height: 36 }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="xs" wrap="nowrap">
          <Burger
            opened={navOpened}
            onClick={nav.toggle}
            hiddenFrom={NAVBAR_BREAKPOINT}
            size="sm"
            aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
            aria-expanded={navOpened}
          />
          <Title order={3}>Relaydesk</Title>
          {version && (
            <Badge variant="light" color="gray" size="sm" tt="none">
              v{version}
            </Badge>
          )}
          <Group ml="auto">
            <ColorSchemeSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      {/* Choosing a page (the current one too) closes the drawer, so the page shows. */}
      <AppShell.Navbar p="xs" onClick={(e: MouseEvent) => (e.target as Element).closest('a') && nav.close()}>
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
