import { Anchor, Text } from '@mantine/core';
import { formatCount } from './stat-format';

/**
 * A Dashboard figure that opens the list it counts: a real link (`#/messages?status=…`), so it
 * also opens in a new tab and Back returns to the Dashboard. Null value: not loaded yet.
 */
export function CountLink({
  value,
  href,
  title,
  color,
  testId,
}: {
  value: number | null;
  href: string;
  title: string;
  color?: string;
  testId: string;
}) {
  if (value === null) {
    return (
      <Text size="lg" fw={700} data-testid={testId}>
        …
      </Text>
    );
  }
  return (
    <Anchor href={href} size="lg" fw={700} c={color} title={title} data-testid={testId}>
      {formatCount(value)}
    </Anchor>
  );
}
