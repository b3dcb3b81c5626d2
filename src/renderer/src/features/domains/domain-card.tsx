import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { listHelpProblem, type SendingDomain } from '@shared/domain/sending-domain';
import { useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';
import { DnsFindings } from './dns-findings';
import { ConnectionPicker, DeleteDomainModal, LIST_HELP_HINT } from './domain-dialogs';
import { GenerateKeyModal, ImportKeyModal } from './key-dialogs';
import { KeysTable } from './keys-table';

type Dialog = 'generate' | 'import' | 'delete' | null;

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** One sending domain: what blocks it, its List-Help and connections, its keys and DNS. */
export function DomainCard({ domain }: { domain: SendingDomain }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const [listHelp, setListHelp] = useState(domain.listHelp);
  const [connectionIds, setConnectionIds] = useState(domain.connectionIds);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [checking, setChecking] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const changed = listHelp.trim() !== domain.listHelp || !sameSet(connectionIds, domain.connectionIds);

  const save = async () => {
    const problem = listHelpProblem(listHelp);
    if (problem) return setErrors({ listHelp: problem });
    setSaving(true);
    setErrors({});
    try {
      upsertDomain(await api.call('domains.update', { id: domain.id, listHelp, connectionIds }));
      notifySuccess(`Saved ${domain.displayName}.`);
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['listHelp', 'connectionIds']);
      setErrors(fields);
      if (other) notifyError(`Could not save ${domain.displayName}`, other);
    } finally {
      setSaving(false);
    }
  };

  const checkDns = async () => {
    setChecking(true);
    try {
      upsertDomain((await api.call('domains.checkDns', { id: domain.id })).domain);
    } catch (err) {
      notifyError(`Could not check the DNS of ${domain.displayName}`, err);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="domain-card">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>{domain.displayName}</Title>
            {domain.displayName !== domain.domain && (
              <Text size="xs" c="dimmed">
                {domain.domain}
              </Text>
            )}
          </div>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setDialog('generate')}>
              Generate key
            </Button>
            <Button size="xs" variant="default" onClick={() => setDialog('import')}>
              Import key
            </Button>
            <Button size="xs" variant="default" loading={checking} onClick={() => void checkDns()}>
              Check DNS
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => setDialog('delete')}>
              Delete domain
            </Button>
          </Group>
        </Group>
        {domain.problems.length > 0 && (
          <Alert color="orange" title="This domain cannot send yet">
            {domain.problems.map((p) => (
              <Text key={p} size="sm">
                {p}
              </Text>
            ))}
          </Alert>
        )}
        <Group align="flex-start" grow>
          <TextInput
            label="List-Help"
            description={LIST_HELP_HINT}
            placeholder="https://shop.example/why-this-mail"
            value={listHelp}
            onChange={(e) => setListHelp(e.currentTarget.value)}
            error={errors.listHelp}
          />
          <ConnectionPicker value={connectionIds} onChange={setConnectionIds} error={errors.connectionIds} />
        </Group>
        {changed && (
          <Group justify="flex-end">
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setListHelp(domain.listHelp);
                setConnectionIds(domain.connectionIds);
                setErrors({});
              }}
            >
              Undo
            </Button>
            <Button size="xs" loading={saving} onClick={() => void save()}>
              Save
            </Button>
          </Group>
        )}
        <KeysTable domain={domain} />
        {domain.lastDnsCheck && <DnsFindings result={domain.lastDnsCheck} />}
      </Stack>
      {dialog === 'generate' && <GenerateKeyModal domain={domain} onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportKeyModal domain={domain} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteDomainModal domain={domain} onClose={() => setDialog(null)} />}
    </Paper>
  );
}
