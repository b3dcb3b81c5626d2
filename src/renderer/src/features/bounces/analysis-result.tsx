import { Code, Group, Paper, Stack, Text } from '@mantine/core';
import type { PastedBounceAnalysis, PastedRecipient } from '@shared/domain/bounce';
import { BounceFacts } from './bounce-facts';
import { ReasonBadge } from './reason-badge';
import { SuppressionOutlook } from './suppression-outlook';

const KIND_WORDS: Record<PastedBounceAnalysis['kind'], string> = {
  bounce: 'A bounce: the mail could not be delivered.',
  complaint: 'A complaint (feedback report): the recipient marked the mail as spam.',
  'auto-reply': 'An auto-reply (out of office, vacation): not a bounce.',
  delivered: 'A delivery notice: the mail arrived.',
  none: 'Not a bounce, complaint or auto-reply Relaydesk recognises.',
};

/** What the bounce listener would make of a pasted report: its kind, who wrote it, and each recipient. */
export function AnalysisResult({ result }: { result: PastedBounceAnalysis }) {
  return (
    <Stack gap="xs" data-testid="analysis-result">
      <Text size="sm" fw={500}>
        {KIND_WORDS[result.kind]}
      </Text>
      <Text size="xs" c="dimmed" data-testid="analysis-report">
        Report kind <Code fz="xs">{result.kind}</Code>
        {result.reportingMta && (
          <>
            {' · '}Reporting MTA <Code fz="xs">{result.reportingMta}</Code>
          </>
        )}
        {result.originalMessageId && (
          <>
            {' · '}Original Message-ID <Code fz="xs">{result.originalMessageId}</Code>
          </>
        )}
        {result.feedbackType && (
          <>
            {' · '}Feedback type <Code fz="xs">{result.feedbackType}</Code>
          </>
        )}
      </Text>
      {result.recipients.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the analysis is shown as it came
        <AnalyzedRecipientCard key={i} recipient={r} />
      ))}
    </Stack>
  );
}

function AnalyzedRecipientCard({ recipient: r }: { recipient: PastedRecipient }) {
  return (
    <Paper withBorder p="sm" data-testid="analysis-row">
      <Stack gap={6}>
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {r.recipient || '(not named)'}
          </Text>
          <ReasonBadge reason={r.reason} hard={r.hard} />
        </Group>
        <SuppressionOutlook recipient={r} />
        <Text size="sm" data-testid="analysis-explanation">
          {r.explanation}
        </Text>
        <BounceFacts facts={r} />
      </Stack>
    </Paper>
  );
}
