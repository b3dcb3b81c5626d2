import { CloseButton, Group, Text } from '@mantine/core';

/** A narrowing a link opened a list with (not one of its visible filters), said in words and removable. */
export function ScopeChip({
  text,
  removeLabel,
  onRemove,
  testId,
}: {
  text: string;
  /** The × button's name, saying what the list shows without it. */
  removeLabel: string;
  onRemove: () => void;
  testId: string;
}) {
  return (
    <Group gap={4} data-testid={testId}>
      <Text size="sm">{text}</Text>
      <CloseButton size="sm" aria-label={removeLabel} onClick={onRemove} />
    </Group>
  );
}
