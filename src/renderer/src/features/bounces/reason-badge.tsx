import { Badge } from '@mantine/core';
import type { BounceReason } from '@shared/domain/bounce';

/** The reason, coloured by what it means for the address: gone, full, refused, complaint, reply. */
export function ReasonBadge({ reason, hard }: { reason: BounceReason; hard: boolean | null }) {
  const color =
    reason === 'feedback'
      ? 'pink'
      : reason === 'vacation'
        ? 'gray'
        : reason === 'delivered'
          ? 'green'
          : hard
            ? 'red'
            : 'orange';
  return (
    <Badge color={color} variant="light" size="sm" data-testid="reason-badge">
      {reason}
      {hard === null ? '' : hard ? ' · hard' : ' · soft'}
    </Badge>
  );
}
