import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { DkimCheck } from '@shared/domain/message';

/** Each DKIM signature of the stored mail, verified again now: what recipients' servers will find. */
export function DkimResults({ checks }: { checks: DkimCheck[] }) {
  if (checks.length === 0) {
    return (
      <Text size="sm" c="red" data-testid="dkim-none">
        no DKIM signature
      </Text>
    );
  }
  return (
    <Group gap={6} data-testid="dkim-results">
      {checks.map((c) => (
        <Tooltip
          key={`${c.domain}/${c.selector}/${c.algorithm}`}
          label={c.comment || `${c.algorithm} signature by ${c.domain}, selector ${c.selector}`}
          multiline
          maw={360}
        >
          <Badge
            size="sm"
            variant="light"
            tt="none"
            color={c.result === 'pass' ? 'green' : c.result === 'neutral' ? 'gray' : 'red'}
            data-testid="dkim-result"
          >
            {c.result} · {c.domain} · {c.algorithm}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
