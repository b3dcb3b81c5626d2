import { Alert, Button, Group, Paper, Stack, Textarea, Title } from '@mantine/core';
import type { PastedBounceAnalysis } from '@shared/domain/bounce';
import { useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { AnalysisResult } from './analysis-result';

/**
 * Paste any bounce mail and see what the bounce listener would make of it, and whether it would
 * suppress each recipient. Nothing is stored.
 */
export function AnalyzeBox() {
  const [raw, setRaw] = useState('');
  const [result, setResult] = useState<PastedBounceAnalysis | null>(null);
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
        {result && <AnalysisResult result={result} />}
      </Stack>
    </Paper>
  );
}
