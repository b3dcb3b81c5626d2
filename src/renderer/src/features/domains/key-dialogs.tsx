import { Alert, Button, Group, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { DkimAlgorithm, DkimKey, SendingDomain } from '@shared/domain/sending-domain';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

export const ALGORITHMS: { value: DkimAlgorithm; label: string }[] = [
  { value: 'rsa-sha256', label: 'RSA 2048' },
  { value: 'ed25519-sha256', label: 'Ed25519' },
];

/** Generate a new key for a domain; it waits on standby when the domain already signs with that algorithm. */
export function GenerateKeyModal({ domain, onClose }: { domain: SendingDomain; onClose: () => void }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const [algorithm, setAlgorithm] = useState<DkimAlgorithm>('rsa-sha256');
  const [selector, setSelector] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const hasActive = domain.keys.some((k) => k.state === 'active' && k.algorithm === algorithm);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const { domain: updated, key } = await api.call('domains.generateKey', {
        domainId: domain.id,
        algorithm,
        ...(selector.trim() ? { selector: selector.trim() } : {}),
      });
      upsertDomain(updated);
      notifySuccess(
        `New ${key.algorithm} key "${key.selector}" for ${domain.displayName}: publish its DNS record.`,
      );
      onClose();
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['selector', 'algorithm']);
      setErrors(fields);
      if (other) notifyError('Could not generate the key', other);
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={`New DKIM key for ${domain.displayName}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SegmentedControl
            value={algorithm}
            onChange={(v) => setAlgorithm(v as DkimAlgorithm)}
            data={ALGORITHMS}
          />
          <TextInput
            label="Selector"
            description="The name under _domainkey the record is published at. Empty: Relaydesk picks one, like rd202611."
            value={selector}
            onChange={(e) => setSelector(e.currentTarget.value)}
            error={errors.selector}
          />
          {hasActive && (
            <Alert color="blue">
              The domain already signs with an active {algorithm === 'rsa-sha256' ? 'RSA' : 'Ed25519'} key.
              The new key waits on standby: publish its DNS record, then "Switch to this key".
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Generate
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

/** Import an existing PEM private key (the one already published for the domain, say). */
export function ImportKeyModal({ domain, onClose }: { domain: SendingDomain; onClose: () => void }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const [pem, setPem] = useState('');
  const [selector, setSelector] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const result = await api.call('domains.importKey', {
        domainId: domain.id,
        privateKeyPem: pem,
        ...(selector.trim() ? { selector: selector.trim() } : {}),
      });
      upsertDomain(result.domain);
      if (result.warnings.length > 0) {
        setWarnings(result.warnings);
        setBusy(false);
        return;
      }
      notifySuccess(`Imported key "${result.key.selector}" for ${domain.displayName}.`);
      onClose();
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['privateKeyPem', 'selector']);
      setErrors(fields);
      if (other) notifyError('Could not import the key', other);
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={`Import a DKIM key for ${domain.displayName}`} size="lg">
      {warnings.length > 0 ? (
        <Stack>
          <Alert color="yellow" title="Imported, with a warning">
            {warnings.map((w) => (
              <Text key={w} size="sm">
                {w}
              </Text>
            ))}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Textarea
              label="Private key (PEM)"
              description="RSA or Ed25519, unencrypted, including the BEGIN and END lines. It never leaves this machine."
              placeholder="-----BEGIN PRIVATE KEY-----"
              autosize
              minRows={6}
              maxRows={14}
              value={pem}
              onChange={(e) => setPem(e.currentTarget.value)}
              error={errors.privateKeyPem}
              styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            />
            <TextInput
              label="Selector"
              description="The selector this key is already published under, if it is. Empty: Relaydesk picks one."
              value={selector}
              onChange={(e) => setSelector(e.currentTarget.value)}
              error={errors.selector}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Import
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </AppModal>
  );
}

/** Delete a key; deleting the active one stops the domain from sending until another is active. */
export function DeleteKeyModal({
  domain,
  dkimKey,
  onClose,
}: {
  domain: SendingDomain;
  dkimKey: DkimKey;
  onClose: () => void;
}) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const lastActive =
    dkimKey.state === 'active' && domain.keys.filter((k) => k.state === 'active').length === 1;
  return (
    <ConfirmModal
      title={`Delete the DKIM key "${dkimKey.selector}"?`}
      confirmLabel="Delete key"
      failure="Could not delete the key"
      onClose={onClose}
      onConfirm={async () => {
        upsertDomain(await api.call('domains.deleteKey', { keyId: dkimKey.id }));
        notifySuccess(`Deleted key "${dkimKey.selector}".`);
        onClose();
      }}
    >
      <Text size="sm">
        Its private key is removed from this machine. You can then remove the record{' '}
        <b>{dkimKey.dnsRecord.name}</b> from DNS.
      </Text>
      {lastActive && (
        <Alert color="red" title="This is the active key">
          Mail from {domain.displayName} is refused until another key is active: generate or import one, or
          switch to a standby key first.
        </Alert>
      )}
    </ConfirmModal>
  );
}
