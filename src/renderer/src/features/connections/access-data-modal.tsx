import { Alert, Button, Code, Group, Table, Text } from '@mantine/core';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import { AppModal } from '../../components/app-modal';
import { CopyValue } from '../../components/copy-value';

interface Props {
  connection: Connection;
  access: SmtpAccess;
  reason: 'created' | 'rotated';
  onClose: () => void;
}

/** The access data as a table with copy buttons (and the test ids browser tests read). */
export function AccessDataTable({ access }: { access: SmtpAccess }) {
  const rows = accessRows(access);
  return (
    <>
      <Table withTableBorder verticalSpacing="xs">
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.label}>
              <Table.Th w={110}>{r.label}</Table.Th>
              <Table.Td>
                <Code fz="sm" data-testid={r.testId ?? undefined} style={{ wordBreak: 'break-all' }}>
                  {r.value}
                </Code>
              </Table.Td>
              <Table.Td w={40}>
                <CopyValue value={r.value} label={r.label.toLowerCase()} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Alert color="yellow" mt="md" title="Copy the password now">
        This password is shown only this once. Relaydesk stores only a hash of it and cannot show it again; if
        it is lost, rotate the password to get a new one.
      </Alert>
    </>
  );
}

function accessRows(access: SmtpAccess): { label: string; value: string; testId: string | null }[] {
  return [
    { label: 'Host', value: access.host, testId: 'access-host' },
    { label: 'Port', value: String(access.port), testId: 'access-port' },
    { label: 'Security', value: access.security, testId: null },
    { label: 'Username', value: access.username, testId: 'access-username' },
    { label: 'Password', value: access.password, testId: 'access-password' },
  ];
}

export function accessText(access: SmtpAccess): string {
  return accessRows(access)
    .map((r) => `${r.label}: ${r.value}`)
    .join('\n');
}

/** The SMTP access data to enter in the shop: shown once, as the password is kept only as a hash. */
export function AccessDataModal({ connection, access, reason, onClose }: Props) {
  const allText = accessText(access);

  return (
    <AppModal
      opened
      onClose={onClose}
      // The password cannot be shown again: a stray click outside must not lose it.
      closeOnClickOutside={false}
      // Nor a stray Esc: Esc closes what is not a secret.
      closeOnEscape={false}
      withCloseButton={false}
      title={`SMTP access data for ${connection.name}`}
      size="lg"
    >
      <Text size="sm" mb="sm">
        {reason === 'created'
          ? 'Enter these settings in the mail (SMTP) settings of the sending system.'
          : 'The old password no longer works. Enter the new password in the sending system.'}
      </Text>
      <AccessDataTable access={access} />
      <Group justify="space-between" mt="md">
        <CopyAllButton text={allText} />
        <Button onClick={onClose}>Done</Button>
      </Group>
    </AppModal>
  );
}

export function CopyAllButton({ text }: { text: string }) {
  return (
    <Button
      variant="default"
      onClick={() => {
        void navigator.clipboard?.writeText(text);
      }}
    >
      Copy all
    </Button>
  );
}
