import { Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/** A block of text to paste somewhere (a file, a settings page) with a button that copies all of it. */
export function CopyCode({ code, caption, label }: { code: string; caption: string; label: string }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {caption}
        </Text>
        <CopyButton value={code} timeout={1500}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="light"
              color={copied ? 'teal' : 'blue'}
              onClick={copy}
              aria-label={`Copy ${label}`}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block fz="xs" data-testid="setup-code" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {code}
      </Code>
    </Stack>
  );
}
