import { Alert, Button, Code, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import type { BounceAnalysis } from '@shared/domain/bounce';
import { useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { ReasonBadge } from './reason-badge';

const KIND_WORDS: Record<BounceAnalysis['kind'], string> = {
  bounce: 'A bounce: the mail could not be delivered.',
  complaint: 'A complaint (feedback report): the recipient marked the mail as spam.',
  'auto-reply': 'An auto-reply (out of office, vacation): not a bounce.',
  delivered: 'A delivery notice: the mail arrived.',
  none: 'Not a bounce, complaint or auto-reply Relaydesk recognises.',
};

/** Paste any bounce mail and see what the bounce listener would make of it. Nothing is stored. */
export function AnalyzeBox() {
  const [raw, setRaw] = useState('');
  const [result, setResult] = useState<BounceAnalysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const analyze = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.call('bounces.analyze', { raw }));
    } catch (err) {
      setResult(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>Analyze a bounce</Title>
        <Textarea
          label="Bounce mail"
          description="Paste a whole bounce, delivery status notification, complaint or auto-reply, headers included."
          autosize
          minRows={4}
          maxRows={14}
          value={raw}
          onChange={(e) => setRaw(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        />
        <Group>
          <Button onClick={() => void analyze()} loading={busy} disabled={!raw.trim()}>
            Analyze
          </Button>
          {result && (
            <Button
              variant="subtle"
              onClick={() => {
                setResult(null);
                setRaw('');
              }}
            >
              Clear
            </Button>
          )}
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {result && (
          <Stack gap="xs" data-testid="analysis-result">
            <Text size="sm" fw={500}>
              {KIND_WORDS[result.kind]}
            </Text>
            <Text size="xs" c="dimmed">
              {result.reportingMta && <>Reported by {result.reportingMta}. </>}
              {result.originalMessageId && (
                <>
                  Original Message-ID <Code fz="xs">{result.originalMessageId}</Code>.
                </>
              )}
              {result.feedbackType && <> Feedback type: {result.feedbackType}.</>}
            </Text>
            {result.recipients.length > 0 && (
              <Table withTableBorder verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Recipient</Table.Th>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>What it means</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.recipients.map((r, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the analysis is shown as it came
                    <Table.Tr key={i} data-testid="analysis-row">
                      <Table.Td>{r.recipient || '(not named)'}</Table.Td>
                      <Table.Td>
                        <ReasonBadge reason={r.reason} hard={r.hard} />
                      </Table.Td>
                      <Table.Td>
                        <Code fz="xs">{[r.replyCode, r.status].filter(Boolean).join(' ') || '—'}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" data-testid="analysis-explanation">
                          {r.explanation}
                        </Text>
                        {r.diagnostic && (
                          <Text size="xs" c="dimmed" ff="monospace">
                            {r.diagnostic}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
