import { Alert, Anchor, List, Text } from '@mantine/core';
import type { RelayProblem, RelayProblemArea } from '@shared/domain/status';
import { RelativeTime } from '../components/relative-time';
import { useRelaydesk } from '../store';
import type { PageName } from '../store/navigation-slice';

/** Where the user can act on a problem of each area. */
const PAGE_OF: Partial<Record<RelayProblemArea, { page: PageName; label: string }>> = {
  delivery: { page: 'queue', label: 'Open the queue' },
  settings: { page: 'settings', label: 'Open Settings' },
  quota: { page: 'quota', label: 'Open Quota & Billing' },
  bounces: { page: 'bounces', label: 'Open Bounces' },
  retention: { page: 'settings', label: 'Open Settings' },
};

const EMPTY: RelayProblem[] = [];

/**
 * What the relay survived and has not yet recovered from (a full disk, a secret it cannot open,
 * a failing background job), on every page until it clears by itself: the relay goes on running.
 */
export function RelayProblems() {
  const problems = useRelaydesk((s) => s.status.relay?.problems ?? EMPTY);
  const navigate = useRelaydesk((s) => s.navigate);
  if (problems.length === 0) return null;
  return (
    <Alert color="red" title="Relaydesk needs attention" mb="sm" data-testid="relay-problems">
      <List size="sm" spacing={4}>
        {problems.map((p) => {
          const go = PAGE_OF[p.area];
          return (
            <List.Item key={p.key} data-testid="relay-problem">
              <Text span size="sm" fw={600}>
                {p.nextStep}
              </Text>{' '}
              <Text span size="sm" c="dimmed">
                ({p.message}
                {p.count > 1 ? `; ${p.count.toLocaleString()} times` : ''}, since{' '}
                <RelativeTime at={p.firstAt} />)
              </Text>
              {go && (
                <>
                  {' '}
                  <Anchor component="button" size="sm" onClick={() => navigate(go.page)}>
                    {go.label}
                  </Anchor>
                </>
              )}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
