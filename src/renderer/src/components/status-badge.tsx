import { Badge, type MantineColor } from '@mantine/core';
import type { RecipientStatus } from '@shared/domain/message';

const COLORS: Record<RecipientStatus, MantineColor> = {
  queued: 'blue',
  sending: 'cyan',
  delivered: 'green',
  deferred: 'yellow',
  bounced: 'red',
  expired: 'orange',
  suppressed: 'gray',
  captured: 'violet',
  complained: 'pink',
  cancelled: 'gray',
};

export function StatusBadge({ status }: { status: RecipientStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" size="sm">
      {status}
    </Badge>
  );
}
