import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { RECIPIENT_STATUSES, type RecipientStatus } from '@shared/domain/message';
import { useEffect, useMemo, useState } from 'react';
import { useRelaydesk } from '../../store';

const STATUS_OPTIONS = RECIPIENT_STATUSES.map((s) => ({ value: s, label: s }));

export function MessageFiltersBar() {
  const filters = useRelaydesk((s) => s.messages.filters);
  const setMessageFilters = useRelaydesk((s) => s.setMessageFilters);
  const connections = useRelaydesk((s) => s.connections.list);
  const connectionData = useMemo(
    () => (connections ?? []).map((c) => ({ value: c.id, label: c.name })),
    [connections],
  );

  const [text, setText] = useState(filters.text);
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    if (debounced.trim() !== useRelaydesk.getState().messages.filters.text.trim()) {
      setMessageFilters({ text: debounced });
    }
  }, [debounced, setMessageFilters]);

  return (
    <Group mb="sm" gap="sm" wrap="wrap">
      <TextInput
        placeholder="Search subject, sender, recipient or id"
        aria-label="Search messages"
        maxLength={200}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        style={{ flex: 1, minWidth: 240 }}
      />
      <Select
        aria-label="Status"
        placeholder="Any status"
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={(v) => setMessageFilters({ status: (v as RecipientStatus | null) ?? null })}
        clearable
        w={170}
      />
      <Select
        aria-label="Connection"
        placeholder="Any connection"
        data={connectionData}
        value={filters.connectionId}
        onChange={(v) => setMessageFilters({ connectionId: v })}
        clearable
        searchable
        w={200}
        nothingFoundMessage="No such connection"
      />
    </Group>
  );
}
