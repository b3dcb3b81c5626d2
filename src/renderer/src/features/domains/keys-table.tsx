import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { DkimKey, SendingDomain } from '@shared/domain/sending-domain';
import { useState } from 'react';
import { api } from '../../api/client';
import { notifyError, notifySuccess } from '../../components/notify';
import { RelativeTime } from '../../components/relative-time';
import { useRelaydesk } from '../../store';
import { DnsRecordView } from './dns-record-view';
import { DeleteKeyModal } from './key-dialogs';

/** A domain's DKIM keys, each with the TXT record to publish and its actions. */
export function KeysTable({ domain }: { domain: SendingDomain }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const [deleting, setDeleting] = useState<DkimKey | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);

  const activate = async (key: DkimKey) => {
    setSwitching(key.id);
    try {
      upsertDomain(await api.call('domains.activateKey', { keyId: key.id }));
      notifySuccess(`${domain.displayName} now signs with "${key.selector}".`);
    } catch (err) {
      notifyError('Could not switch keys', err);
    } finally {
      setSwitching(null);
    }
  };

  if (domain.keys.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No DKIM key yet: generate one or import the key you already publish.
      </Text>
    );
  }
  return (
    <>
      <Table withTableBorder verticalSpacing="xs" data-testid="dkim-keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>Key</Table.Th>
            <Table.Th>DNS record to publish</Table.Th>
            <Table.Th w={150} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {domain.keys.map((k) => (
            <Table.Tr key={k.id} data-testid="dkim-key">
              <Table.Td style={{ verticalAlign: 'top' }}>
                <Stack gap={4}>
                  <Group gap={6}>
                    <Text fw={500} size="sm">
                      {k.selector}
                    </Text>
                    <Badge size="sm" variant="light" color={k.state === 'active' ? 'green' : 'gray'}>
                      {k.state}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {k.algorithm === 'rsa-sha256' ? `RSA ${k.bits}` : 'Ed25519'} · {k.source}{' '}
                    <RelativeTime at={k.createdAt} />
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>
                <DnsRecordView record={k.dnsRecord} />
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                <Stack gap={4} align="flex-end">
                  {k.state === 'standby' && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={switching === k.id}
                      onClick={() => void activate(k)}
                    >
                      Switch to this key
                    </Button>
                  )}
                  <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(k)}>
                    Delete key
                  </Button>
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {deleting && <DeleteKeyModal domain={domain} dkimKey={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
