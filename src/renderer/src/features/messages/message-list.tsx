import { Alert, Center, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useRelaydesk } from '../../store';
import classes from './message-list.module.css';
import { MessageRow } from './message-row';
import { MessagesEmpty } from './messages-empty';
import { useRowKeys } from './use-row-keys';

const ROW_HEIGHT = 40;
/** Start fetching the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 30;

/**
 * Where the list was scrolled to, kept while a message's detail replaces the list. Tied to the
 * filters object, which is replaced on every filter change: a new result starts at the top.
 */
let savedScroll: { filters: unknown; offset: number } = { filters: null, offset: 0 };

export function MessageList() {
  const ids = useRelaydesk((s) => s.messages.ids);
  const hasMore = useRelaydesk((s) => s.messages.nextCursor !== null);
  const loading = useRelaydesk((s) => s.messages.loading);
  const loaded = useRelaydesk((s) => s.messages.loaded);
  const error = useRelaydesk((s) => s.messages.error);
  const filtered = useRelaydesk((s) => {
    const f = s.messages.filters;
    return f.text.trim() !== '' || f.status !== null || f.connectionId !== null;
  });
  const loadMoreMessages = useRelaydesk((s) => s.loadMoreMessages);
  const filters = useRelaydesk((s) => s.messages.filters);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: ids.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialOffset: savedScroll.filters === filters ? savedScroll.offset : 0,
    getItemKey: (index) => ids[index] ?? 'loader',
    onChange: (v) => {
      savedScroll = { filters, offset: v.scrollOffset ?? 0 };
    },
  });
  const items = virtualizer.getVirtualItems();
  const onKeyDown = useRowKeys(ids, scrollRef, virtualizer);
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (hasMore && loading === 'idle' && lastIndex >= ids.length - PREFETCH_ROWS) void loadMoreMessages();
  }, [hasMore, loading, lastIndex, ids.length, loadMoreMessages]);

  if (error && ids.length === 0) {
    return (
      <Alert color="red" title="Could not load the messages">
        {error}
      </Alert>
    );
  }
  if (!loaded && ids.length === 0) {
    return (
      <Center p="xl">
        <Loader size="sm" />
      </Center>
    );
  }
  if (ids.length === 0) return <MessagesEmpty filtered={filtered} />;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys move the focus between the rows, which are links
    <div className={classes.scroller} ref={scrollRef} data-testid="message-list" onKeyDown={onKeyDown}>
      <div className={`${classes.grid} ${classes.header}`}>
        <span>Time</span>
        <span>From</span>
        <span>Recipients</span>
        <span>Subject</span>
        <span className={classes.secondary}>Connection</span>
        <span>Status</span>
        <span className={`${classes.size} ${classes.secondary}`}>Size</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const id = ids[item.index];
          return (
            <div
              key={item.key}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                height: item.size,
                transform: `translateY(${item.start}px)`,
              }}
            >
              {id ? (
                <MessageRow id={id} />
              ) : (
                <Center h="100%">
                  {error ? (
                    <Text size="sm" c="red">
                      {error}
                    </Text>
                  ) : (
                    <Loader size="xs" />
                  )}
                </Center>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
