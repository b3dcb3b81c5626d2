import { Button, Group, MultiSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type DkimAlgorithm, listHelpProblem, type SendingDomain } from '@shared/domain/sending-domain';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';
import { ALGORITHMS } from './key-dialogs';

export const LIST_HELP_HINT =
  'An https:// page or a mailto: address that tells recipients why they get these mails and how to opt out. Sent as the List-Help header; one value may serve many domains.';

/** The connections a domain may be used by, as a multi-select of connection names. */
export function ConnectionPicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const connections = useRelaydesk((s) => s.connections.list) ?? [];
  return (
    <MultiSelect
      label="Connections allowed to send from it"
      placeholder={connections.length ? 'Pick connections' : 'No connections yet'}
      data={connections.map((c) => ({ value: c.id, label: c.name }))}
      value={value}
      onChange={onChange}
      error={error}
      clearable
      searchable
    />
  );
}

export function AddDomainModal({ onClose }: { onClose: () => void }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const [domain, setDomain] = useState('');
  const [listHelp, setListHelp] = useState('');
  const [connectionIds, setConnectionIds] = useState<string[]>([]);
  const [algorithm, setAlgorithm] = useState<DkimAlgorithm>('rsa-sha256');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = listHelp.trim() ? listHelpProblem(listHelp) : undefined;
    if (problem) return setErrors({ listHelp: problem });
    setBusy(true);
    setErrors({});
    try {
      const created = await api.call('domains.create', {
        domain,
        listHelp,
        connectionIds,
        key: { algorithm },
      });
      upsertDomain(created);
      notifySuccess(
        `Added ${created.displayName}. Publish its DKIM record to make the signatures checkable.`,
      );
      onClose();
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['domain', 'listHelp', 'connectionIds']);
      setErrors(fields);
      if (other) notifyError('Could not add the domain', other);
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title="Add a sending domain" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Domain"
            description="The domain of the From: address, e.g. shop.example. Internationalised names are fine."
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value)}
            error={errors.domain}
            data-autofocus
          />
          <TextInput
            label="List-Help"
            description={LIST_HELP_HINT}
            placeholder="https://shop.example/why-this-mail"
            value={listHelp}
            onChange={(e) => setListHelp(e.currentTarget.value)}
            error={errors.listHelp}
          />
          <ConnectionPicker value={connectionIds} onChange={setConnectionIds} error={errors.connectionIds} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              First DKIM key
            </Text>
            <SegmentedControl
              value={algorithm}
              onChange={(v) => setAlgorithm(v as DkimAlgorithm)}
              data={ALGORITHMS}
            />
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add domain
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

export function DeleteDomainModal({ domain, onClose }: { domain: SendingDomain; onClose: () => void }) {
  const removeDomain = useRelaydesk((s) => s.removeDomain);
  return (
    <ConfirmModal
      title={`Delete the sending domain ${domain.displayName}?`}
      confirmLabel="Delete domain"
      failure={`Could not delete ${domain.displayName}`}
      onClose={onClose}
      onConfirm={async () => {
        await api.call('domains.delete', { id: domain.id });
        removeDomain(domain.id);
        notifySuccess(`Deleted ${domain.displayName}.`);
        onClose();
      }}
    >
      <Text size="sm">
        Its {domain.keys.length} DKIM key(s) are removed from this machine, and mail with a From: address at{' '}
        {domain.displayName} is refused from then on. Messages already accepted are kept.
      </Text>
    </ConfirmModal>
  );
}
