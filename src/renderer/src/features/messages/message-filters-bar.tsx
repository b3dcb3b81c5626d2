import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { formatTime } from '@shared/domain/format';
import { RECIPIENT_STATUSES, type RecipientStatus } from '@shared/domain/message';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ScopeChip } from '../../components/scope-chip';
import { useRelaydesk } from '../../store';
import { type MessageFilters, NO_FILTERS } from '../../store/message-filters';

const STATUS_OPTIONS = RECIPIENT_STATUSES.map((s) => ({ value: s, label: s }));
type TextFilter = 'text' | 'recipient' | 'sender' | 'subject' | 'messageId';

/** A text field whose value reaches the filters 300 ms after typing stops. */
function FilterText({
  name,
  label,
  placeholder,
  grow,
  search,
}: {
  name: TextFilter;
  label: string;
  placeholder: string;
  grow?: boolean;
  /** The field `/` focuses. */
  search?: boolean;
}) {
  const value = useRelaydesk((s) => s.messages.filters[name]);
  const setMessageFilters = useRelaydesk((s) => s.setMessageFilters);
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => setText(value), [value]);
  const apply = useRef((typed: string) => {
    if (typed.trim() !== useRelaydesk.getState().messages.filters[name].trim()) {
      setMessageFilters({ [name]: typed } as Partial<MessageFilters>);
    }
  }).current;
  useEffect(() => apply(debounced), [debounced, apply]);
  // Leaving the page (or pressing Enter) within the 300 ms keeps what was typed.
  const typed = useRef(text);
  typed.current = text;
  useEffect(() => () => apply(typed.current), [apply]);
  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      maxLength={320}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onKeyDown={(e) => e.key === 'Enter' && apply(text)}
      style={grow ? { flex: 1, minWidth: 240 } : { width: 220 }}
      data-page-search={search || undefined}
    />
  );
}

export function MessageFiltersBar() {
  const filters = useRelaydesk((s) => s.messages.filters);
  const setMessageFilters = useRelaydesk((s) => s.setMessageFilters);
  const connections = useRelaydesk((s) => s.connections.list);
  const domains = useRelaydesk((s) => s.domains.list);
  const connectionData = useMemo(
    () => (connections ?? []).map((c) => ({ value: c.id, label: c.name })),
    [connections],
  );
  const domainData = useMemo(
    () => (domains ?? []).map((d) => ({ value: d.domain, label: d.displayName })),
    [domains],
  );
  const extraSet = Boolean(
    filters.recipient ||
      filters.sender ||
      filters.subject ||
      filters.messageId ||
      filters.domain ||
      filters.fromDate ||
      filters.toDate,
  );
  const [more, setMore] = useState(extraSet);
  const anySet = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <>
      <Group mb="sm" gap="sm" wrap="wrap">
        <FilterText
          name="text"
          label="Search messages"
          placeholder="Words in subject, sender or recipient; or a message id"
          grow
          search
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
        <Button variant={more ? 'light' : 'default'} onClick={() => setMore((m) => !m)} aria-expanded={more}>
          More filters
        </Button>
        {filters.since !== null && (
          <ScopeChip
            text={`Accepted since ${formatTime(filters.since)}`}
            removeLabel="Show messages of any time"
            onRemove={() => setMessageFilters({ since: null })}
            testId="messages-since"
          />
        )}
        {anySet && (
          <Button variant="subtle" onClick={() => setMessageFilters(NO_FILTERS)}>
            Clear
          </Button>
        )}
      </Group>
      {more && (
        <Group mb="sm" gap="sm" wrap="wrap" data-testid="more-filters">
          <FilterText name="recipient" label="Recipient" placeholder="Recipient address (exact)" />
          <FilterText name="sender" label="Sender" placeholder="Sender address (exact)" />
          <FilterText name="subject" label="Subject" placeholder="Words in the subject" />
          <FilterText name="messageId" label="Message-ID" placeholder="Message-ID header" />
          <Select
            aria-label="Sending domain"
            placeholder="Any sending domain"
            data={domainData}
            value={filters.domain}
            onChange={(v) => setMessageFilters({ domain: v })}
            clearable
            searchable
            w={220}
          />
          <TextInput
            type="date"
            aria-label="Accepted from"
            value={filters.fromDate}
            onChange={(e) => setMessageFilters({ fromDate: e.currentTarget.value })}
            w={160}
          />
          <TextInput
            type="date"
            aria-label="Accepted until"
            value={filters.toDate}
            onChange={(e) => setMessageFilters({ toDate: e.currentTarget.value })}
            w={160}
          />
        </Group>
      )}
    </>
  );
}
