import { Alert, Button, FileInput, Group, List, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { Suppression } from '@shared/domain/suppression';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { ConfirmModal } from '../../components/confirm-modal';
import { downloadText } from '../../components/download';
import { notifyError, notifySuccess } from '../../components/notify';

export function AddSuppressionModal({ onClose }: { onClose: () => void }) {
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const added = await api.call('suppressions.add', { address, note });
      notifySuccess(`${added.address} is suppressed: mail to it is refused.`);
      onClose();
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['address', 'note']);
      setErrors(fields);
      if (other) notifyError('Not added', other);
      setBusy(false);
    }
  };
  return (
    <AppModal opened onClose={onClose} title="Suppress an address">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Address"
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={errors.address}
            data-autofocus
          />
          <TextInput
            label="Note"
            description="Why, for whoever reads the list later."
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Suppress
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

export function RemoveSuppressionModal({ entry, onClose }: { entry: Suppression; onClose: () => void }) {
  return (
    <ConfirmModal
      title={`Send to ${entry.address} again?`}
      confirmLabel="Remove"
      failure="Not removed"
      onClose={onClose}
      onConfirm={async () => {
        await api.call('suppressions.remove', { address: entry.address });
        notifySuccess(`${entry.address} is no longer suppressed.`);
        onClose();
      }}
    >
      <Text size="sm">
        Mail to this address will be accepted and delivered again.{' '}
        {entry.reason === 'complaint'
          ? 'It was suppressed because the recipient complained: only remove it if they asked for your mail again.'
          : entry.reason === 'hard-bounce'
            ? 'It was suppressed because it hard-bounced: check that it works now, or it will bounce again.'
            : ''}
      </Text>
    </ConfirmModal>
  );
}

export function ImportSuppressionsModal({ onClose }: { onClose: () => void }) {
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<{
    added: number;
    alreadyListed: number;
    errors: { line: number; message: string }[];
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setResult(await api.call('suppressions.import', { csv }));
    } catch (err) {
      notifyError('Not imported', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AppModal opened onClose={onClose} title="Import suppressions" size="lg">
      {result ? (
        <Stack>
          <Alert
            color={result.errors.length ? 'yellow' : 'green'}
            title={`${result.added} added, ${result.alreadyListed} already listed`}
          >
            {result.errors.length > 0 && (
              <List size="sm">
                {result.errors.map((e) => (
                  <List.Item key={e.line}>
                    Line {e.line}: {e.message}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <FileInput
            label="CSV file"
            accept=".csv,text/csv,text/plain"
            placeholder="Choose a file"
            onChange={(file) => void file?.text().then(setCsv)}
          />
          <Textarea
            label="…or paste CSV"
            description="A header line with address (and optionally reason, detail, created_at), or one address per line."
            autosize
            minRows={5}
            maxRows={12}
            value={csv}
            onChange={(e) => setCsv(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => void run()} loading={busy} disabled={!csv.trim()}>
              Import
            </Button>
          </Group>
        </Stack>
      )}
    </AppModal>
  );
}

/** Saves the list as a CSV file through the browser's download. */
export async function exportSuppressions(): Promise<void> {
  try {
    const { csv, count } = await api.call('suppressions.export', {});
    downloadText(`relaydesk-suppressions-${new Date().toISOString().slice(0, 10)}.csv`, 'text/csv', csv);
    notifySuccess(`Exported ${count} addresses.`);
  } catch (err) {
    notifyError('Not exported', err);
  }
}
