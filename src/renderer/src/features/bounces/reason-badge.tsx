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
    <Badge
      color={color}
      variant="light"
      size="sm"
      tt="none"
      data-testid="reason-badge"
      // A reason is the point of the row: never cut it short.
      styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
    >
      {reason}
      {hard === null ? '' : hard ? ' · hard' : ' · soft'}
    </Badge>
  );
}
