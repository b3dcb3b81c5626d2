import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { MessageDetailView } from './message-detail-view';
import { MessageFiltersBar } from './message-filters-bar';
import { MessageList } from './message-list';

export function MessagesPage() {
  const selectedId = useRelaydesk((s) => s.navigation.selectedMessageId);
  if (selectedId) return <MessageDetailView id={selectedId} />;
  return (
    <Stack gap={0} style={{ flex: 1, minHeight: 0 }}>
      <PageHeader title="Messages" description="Every mail the relay accepted, newest first. Updates live." />
      <MessageFiltersBar />
      <MessageList />
    </Stack>
  );
}
