import { Badge } from '@mantine/core';
import type { SuppressionReason } from '@shared/domain/suppression';

const COLOR: Record<SuppressionReason, string> = { 'hard-bounce': 'red', complaint: 'pink', manual: 'gray' };

/** Why an address is (or would be) suppressed: hard-bounce, complaint or manual, coloured alike everywhere. */
export function SuppressionReasonBadge({ reason }: { reason: SuppressionReason }) {
  return (
    <Badge color={COLOR[reason]} variant="light" size="sm">
      {reason}
    </Badge>
  );
}
