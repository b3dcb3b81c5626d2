import { Button, Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useRelaydesk } from '../../store';
import type { PageName } from '../../store/navigation-slice';

/** A Dashboard panel: a title, and a link to the page that has the whole story. */
export function DashboardCard({
  title,
  more,
  testId,
  children,
}: {
  title: string;
  more?: { page: PageName; label: string };
  testId?: string;
  children: ReactNode;
}) {
  const navigate = useRelaydesk((s) => s.navigate);
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={5}>{title}</Title>
        {more && (
          <Button variant="subtle" size="compact-xs" onClick={() => navigate(more.page)}>
            {more.label}
          </Button>
        )}
      </Group>
      {children}
    </Paper>
  );
}
