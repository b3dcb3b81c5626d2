import { Badge, Group, Stack, Text } from '@mantine/core';
import { RelativeTime } from '../../components/relative-time';
import { useRelaydesk } from '../../store';
import { ModeBadge } from '../connections/mode-badge';
import { DashboardCard } from './dashboard-card';

/** More would crowd the Dashboard; the Connections page lists them all. */
const SHOWN = 6;

export function ConnectionsNow() {
  const list = useRelaydesk((s) => s.connections.list);
  // Active ones first, then the most recently seen: what is sending is what matters here.
  const shown = [...(list ?? [])]
    .sort(
      (a, b) =>
        Number(b.activity === 'active') - Number(a.activity === 'active') ||
        (b.lastActivityAt ?? 0) - (a.lastActivityAt ?? 0),
    )
    .slice(0, SHOWN);
  return (
    <DashboardCard
      title="Connections"
      more={{ page: 'connections', label: 'Manage' }}
      testId="dashboard-connections"
    >
      {list === null ? (
        <Text size="sm" c="dimmed">
          …
        </Text>
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      ) : (
        <Stack gap={6}>
          {shown.map((c) => (
            <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="dashboard-connection">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {c.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {c.lastActivityAt === null ? (
                    'no mail yet'
                  ) : (
                    <>
                      last mail <RelativeTime at={c.lastActivityAt} />
                    </>
                  )}
                </Text>
              </div>
              <Group gap={4} wrap="nowrap">
                <ModeBadge mode={c.mode} />
                <Badge color={c.activity === 'active' ? 'green' : 'gray'} variant="light" size="sm">
                  {c.activity}
                </Badge>
              </Group>
            </Group>
          ))}
          {list.length > SHOWN && (
            <Text size="xs" c="dimmed">
              and {list.length - SHOWN} more
            </Text>
          )}
        </Stack>
      )}
    </DashboardCard>
  );
}
