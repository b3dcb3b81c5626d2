import { Badge, Tooltip } from '@mantine/core';
import type { ConnectionMode } from '@shared/domain/connection';

const HINTS: Record<ConnectionMode, string> = {
  live: 'Mail is delivered to the recipients',
  sandbox: 'Mail is captured for inspection and never delivered',
};

export function ModeBadge({ mode }: { mode: ConnectionMode }) {
  return (
    <Tooltip label={HINTS[mode]} withArrow>
      <Badge color={mode === 'live' ? 'blue' : 'violet'} variant="light" size="sm">
        {mode}
      </Badge>
    </Tooltip>
  );
}
