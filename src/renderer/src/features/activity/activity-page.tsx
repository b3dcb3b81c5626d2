import { Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { ACTIVITY_CATEGORIES, ACTIVITY_CATEGORY_INFO, type ActivityCategory } from '@shared/domain/activity';
import { formatTime } from '@shared/domain/format';
import { useEffect } from 'react';
import { ConnectionSelect } from '../../components/connection-select';
import { PageHeader } from '../../components/page-header';
import { PagedList } from '../../components/paged-list';
import { ScopeChip } from '../../components/scope-chip';
import { useRelaydesk } from '../../store';
import { NO_ACTIVITY_FILTERS } from '../../store/activity-filters';
import { ActivityTable } from './activity-table';

const CATEGORY_CHOICES = [
  { value: '', label: 'Any category' },
  ...ACTIVITY_CATEGORIES.map((c) => ({ value: c, label: ACTIVITY_CATEGORY_INFO[c].label })),
];

/** The narrowing the Dashboard's Rejected figure opened the page with, removable. */
function Scope() {
  const f = useRelaydesk((s) => s.activity.filters);
  const setFilters = useRelaydesk((s) => s.setActivityFilters);
  if (!f.rejectedMail && f.since === null) return null;
  const what = f.rejectedMail ? 'Mails refused after login' : 'Refusals';
  return (
    <ScopeChip
      text={`${what}${f.since !== null ? ` since ${formatTime(f.since)}` : ''}`}
      removeLabel="Show all refusals"
      onRemove={() => setFilters({ rejectedMail: false, since: null })}
      testId="activity-scope"
    />
  );
}

export function ActivityPage() {
  const activity = useRelaydesk((s) => s.activity);
  const loadActivity = useRelaydesk((s) => s.loadActivity);
  const setFilters = useRelaydesk((s) => s.setActivityFilters);
  const f = activity.filters;
  const filtered = JSON.stringify(f) !== JSON.stringify(NO_ACTIVITY_FILTERS);
  useEffect(() => {
    void loadActivity();
  }, [loadActivity]);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Activity"
        description="Every SMTP command and session the relay refused: failed logins, lockouts, missing TLS, refused senders and recipients, limits, size and timeouts — with the client, the connection and the exact reply it got."
      />
      <Paper withBorder p="sm">
        <Group align="flex-end" gap="sm">
          <Select
            label="Category"
            data={CATEGORY_CHOICES}
            value={f.category ?? ''}
            onChange={(v) => setFilters({ category: (v || null) as ActivityCategory | null })}
            allowDeselect={false}
            w={190}
            data-testid="activity-filter-category"
          />
          <ConnectionSelect
            value={f.connectionId}
            onChange={(id) => setFilters({ connectionId: id })}
            w={190}
          />
          <TextInput
            label="Search"
            placeholder="address, username, reply…"
            value={f.text}
            onChange={(e) => setFilters({ text: e.currentTarget.value })}
            w={240}
            data-page-search
          />
          <Scope />
        </Group>
      </Paper>
      <PagedList
        count={activity.items?.length ?? null}
        error={activity.error}
        emptyTitle="No refusals"
        emptyText={
          filtered
            ? 'Nothing the relay refused matches these filters.'
            : 'The relay has refused nothing yet: every login, sender and recipient so far was accepted.'
        }
        testId="activity-empty"
        hasMore={activity.nextCursor !== null}
        onMore={() => void loadActivity(true)}
      >
        <ActivityTable items={activity.items ?? []} />
      </PagedList>
    </Stack>
  );
}
