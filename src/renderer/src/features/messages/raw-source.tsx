import { Alert, Button, Group, Loader, ScrollArea, Text } from '@mantine/core';
import type { ResultOf } from '@shared/api/contract';
import { formatBytes } from '@shared/domain/format';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { downloadBase64 } from '../../components/download';
import { notifyError } from '../../components/notify';

type Raw = ResultOf<'messages.raw'>;

/** Enough for any ordinary mail; more would only slow the page down. */
const RAW_MAX_BYTES = 2 * 1024 * 1024;

/** The stored (signed) source as the recipients get it; huge mails show only their start. */
export function RawSource({ id }: { id: string }) {
  const [raw, setRaw] = useState<Raw | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setRaw(null);
    setError(null);
    api.call('messages.raw', { id, maxBytes: RAW_MAX_BYTES }).then(
      (r) => current && setRaw(r),
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [id]);

  if (error) {
    return (
      <Alert color="red" title="Could not load the source">
        {error}
      </Alert>
    );
  }
  if (!raw) return <Loader size="sm" />;
  return (
    <>
      <Group mb="sm">
        <Button size="xs" variant="default" onClick={() => void downloadSource(id)}>
          Download .eml
        </Button>
        <Text size="xs" c="dimmed">
          The signed mail exactly as stored and sent ({formatBytes(raw.size)}).
        </Text>
      </Group>
      {raw.truncated && (
        <Alert color="yellow" mb="sm">
          This mail is {formatBytes(raw.size)}; only its first {formatBytes(RAW_MAX_BYTES)} are shown.
        </Alert>
      )}
      <ScrollArea.Autosize
        mah="60vh"
        type="auto"
        style={{ border: '1px solid var(--mantine-color-default-border)' }}
      >
        <Text
          component="pre"
          ff="monospace"
          size="xs"
          p="sm"
          m={0}
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          data-testid="message-raw"
        >
          {raw.raw}
        </Text>
      </ScrollArea.Autosize>
    </>
  );
}

/** The whole stored source, byte for byte, as a file. */
async function downloadSource(id: string) {
  try {
    const r = await api.call('messages.raw', { id, maxBytes: 64 * 1024 * 1024, encoding: 'base64' });
    downloadBase64(`${id}.eml`, 'message/rfc822', r.raw);
  } catch (err) {
    notifyError('Could not download the source', err);
  }
}
