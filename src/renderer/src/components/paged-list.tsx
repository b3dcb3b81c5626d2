import { Alert, Button, Loader, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A list loaded page by page: its error, a loader until the first page, an empty state that
 * says why, the rows, and "Load more" while the relay has more.
 */
export function PagedList({
  count,
  error,
  emptyTitle,
  emptyText,
  testId,
  hasMore,
  onMore,
  children,
}: {
  /** Rows loaded; null before the first page arrived. */
  count: number | null;
  error: string | null;
  emptyTitle: string;
  emptyText: string;
  /** Test id of the empty state. */
  testId?: string;
  hasMore: boolean;
  onMore: () => void;
  children: ReactNode;
}) {
  return (
    <>
      {error && <Alert color="red">{error}</Alert>}
      {count === null ? (
        !error && <Loader size="sm" />
      ) : count === 0 ? (
        <Paper withBorder p="xl" data-testid={testId}>
          <Text fw={500}>{emptyTitle}</Text>
          <Text size="sm" c="dimmed">
            {emptyText}
          </Text>
        </Paper>
      ) : (
        children
      )}
      {hasMore && (
        <Button variant="default" onClick={onMore} style={{ alignSelf: 'center' }}>
          Load more
        </Button>
      )}
    </>
  );
}
