import { Badge, Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import { RelativeTime } from '../../components/relative-time';
import { useRelaydesk } from '../../store';
import type { ConnectionDialog } from './connection-dialogs';
import { EnabledSwitch } from './enabled-switch';
import { ModeBadge } from './mode-badge';

function ConnectionDomains({ ids, anySender }: { ids: string[]; anySender: boolean }) {
  const domains = useRelaydesk((s) => s.domains.list);
  if (ids.length === 0 && anySender) {
    return (
      <Text size="sm" c="dimmed">
        any sender (captured unsigned)
      </Text>
    );
  }
  if (ids.length === 0) {
    return (
      <Text size="sm" c="orange">
        none: it cannot send yet
      </Text>
    );
  }
  const names = ids.map((id) => domains?.find((d) => d.id === id)?.displayName ?? '…');
  return (
    <Group gap={4}>
      {names.map((n, i) => (
        <Badge key={ids[i]} variant="outline" size="sm" tt="none">
          {n}
        </Badge>
      ))}
    </Group>
  );
}

/** The actions on a connection's row, in order: each opens its dialog on the Connections page. */
const ROW_ACTIONS: readonly {
  kind: Exclude<ConnectionDialog['kind'], 'create' | 'access'>;
  label: string;
  danger?: boolean;
  sandboxOnly?: boolean;
}[] = [
  { kind: 'setup', label: 'Set up shop' },
  { kind: 'test', label: 'Send test mail' },
  { kind: 'edit', label: 'Edit' },
  { kind: 'webhooks', label: 'Webhooks' },
  { kind: 'rotate', label: 'Rotate password' },
  { kind: 'deleteCaptured', label: 'Delete captured', danger: true, sandboxOnly: true },
  { kind: 'delete', label: 'Delete', danger: true },
];

export function ConnectionsTable({
  connections,
  onAction,
}: {
  connections: Connection[];
  onAction: (dialog: ConnectionDialog) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={1040}>
      <Table verticalSpacing="sm" highlightOnHover withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Username</Table.Th>
            <Table.Th>Mode</Table.Th>
            <Table.Th>Sending domains</Table.Th>
            <Table.Th>Enabled</Table.Th>
            <Table.Th>Activity</Table.Th>
            <Table.Th>Hourly limit</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {connections.map((c) => (
            <Table.Tr key={c.id} data-testid="connection-row">
              <Table.Td>
                <Text fw={500}>{c.name}</Text>
              </Table.Td>
              <Table.Td>
                <Code>{c.username}</Code>
              </Table.Td>
              <Table.Td>
                <ModeBadge mode={c.mode} />
              </Table.Td>
              <Table.Td>
                <ConnectionDomains ids={c.domainIds} anySender={c.mode === 'sandbox' && c.acceptsAnySender} />
              </Table.Td>
              <Table.Td>
                <EnabledSwitch connection={c} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Badge color={c.activity === 'active' ? 'green' : 'gray'} variant="light" size="sm">
                    {c.activity}
                  </Badge>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {c.lastActivityAt === null ? (
                      'never'
                    ) : (
                      <>
                        last activity <RelativeTime at={c.lastActivityAt} />
                      </>
                    )}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                {c.hourlyLimit === null ? (
                  <Text size="sm" c="dimmed">
                    no limit
                  </Text>
                ) : (
                  <Text size="sm">{c.hourlyLimit.toLocaleString()} / hour</Text>
                )}
              </Table.Td>
              <Table.Td>
                {/* The buttons wrap onto a second line rather than squeeze the columns before them. */}
                <Group gap={4} justify="flex-end" miw={260}>
                  {ROW_ACTIONS.filter((a) => !a.sandboxOnly || c.mode === 'sandbox').map((a) => (
                    <Button
                      key={a.kind}
                      size="xs"
                      variant="subtle"
                      color={a.danger ? 'red' : undefined}
                      onClick={() => onAction({ kind: a.kind, connection: c })}
                    >
                      {a.label}
                    </Button>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
