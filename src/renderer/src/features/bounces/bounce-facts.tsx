import { Code, Group, Stack, Text } from '@mantine/core';
import type { AnalyzedRecipient } from '@shared/domain/bounce';

/** What a report or a refusal said about one recipient; fields a record does not keep are optional. */
export type BounceFactsOf = Pick<AnalyzedRecipient, 'status' | 'replyCode' | 'diagnostic' | 'remoteMta'> &
  Partial<Pick<AnalyzedRecipient, 'action' | 'command' | 'diagnosticType'>>;

/**
 * The facts as read, each named: enhanced status, reply code, DSN action, the SMTP command the
 * refusal answered, the remote MTA, and the server's own words with their type. Only what is known.
 */
export function BounceFacts({ facts }: { facts: BounceFactsOf }) {
  const named: [label: string, value: string | undefined, testId: string][] = [
    ['Status', facts.status, 'fact-status'],
    ['Reply code', facts.replyCode, 'fact-reply-code'],
    ['Action', facts.action, 'fact-action'],
    ['SMTP command', facts.command, 'fact-command'],
    ['Remote MTA', facts.remoteMta, 'fact-remote-mta'],
  ];
  const known = named.filter(([, value]) => value);
  if (known.length === 0 && !facts.diagnostic) return null;
  return (
    <Stack gap={4} data-testid="bounce-facts">
      {known.length > 0 && (
        <Group gap="md" wrap="wrap">
          {known.map(([label, value, testId]) => (
            <Text size="xs" key={label} data-testid={testId}>
              <Text span size="xs" c="dimmed">
                {label}{' '}
              </Text>
              <Code fz="xs">{value}</Code>
            </Text>
          ))}
        </Group>
      )}
      {facts.diagnostic && (
        <Stack gap={2} data-testid="fact-diagnostic">
          <Text size="xs" c="dimmed">
            Diagnostic{facts.diagnosticType ? ` (${facts.diagnosticType})` : ''}
          </Text>
          <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {facts.diagnostic}
          </Code>
        </Stack>
      )}
    </Stack>
  );
}
