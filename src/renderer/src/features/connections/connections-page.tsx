import { Alert, Button, Loader, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { WebhooksModal } from '../webhooks/webhooks-modal';
import { AccessDataModal } from './access-data-modal';
import { ConnectWizard } from './connect-wizard';
import type { ConnectionDialog } from './connection-dialogs';
import { ConnectionFormModal } from './connection-form-modal';
import { ConnectionsTable } from './connections-table';
import { DeleteCapturedModal } from './delete-captured-modal';
import { DeleteConnectionModal } from './delete-connection-modal';
import { RotatePasswordModal } from './rotate-password-modal';
import { SendTestModal } from './send-test-modal';
import { ShopSetupModal } from './shop-setup-modal';

export function ConnectionsPage() {
  const list = useRelaydesk((s) => s.connections.list);
  const error = useRelaydesk((s) => s.connections.error);
  const [dialog, setDialog] = useState<ConnectionDialog | null>(null);
  const close = () => setDialog(null);

  return (
    <Stack gap={0} style={{ overflow: 'auto' }}>
      <PageHeader
        title="Connections"
        description="Each system that hands mail to Relaydesk (web shop, booking system, CRM) gets its own SMTP login."
        actions={<Button onClick={() => setDialog({ kind: 'create' })}>New connection</Button>}
      />
      {error && (
        <Alert color="red" mb="md" title="Could not load the connections">
          {error}
        </Alert>
      )}
      {list === null ? (
        !error && <Loader size="sm" />
      ) : list.length === 0 ? (
        <Paper withBorder p="xl">
          <Text fw={500}>No connections yet</Text>
          <Text c="dimmed" size="sm">
            Create one with "New connection": Relaydesk shows the SMTP access data (host, port, username,
            password) to enter in the shop's mail settings.
          </Text>
        </Paper>
      ) : (
        <ConnectionsTable connections={list} onAction={setDialog} />
      )}

      {dialog?.kind === 'create' && <ConnectWizard onClose={close} />}
      {dialog?.kind === 'edit' && (
        <ConnectionFormModal
          connection={dialog.connection}
          onClose={close}
          onCreated={(connection, access) =>
            setDialog({ kind: 'access', connection, access, reason: 'created' })
          }
        />
      )}
      {dialog?.kind === 'rotate' && (
        <RotatePasswordModal
          connection={dialog.connection}
          onClose={close}
          onRotated={(connection, access) =>
            setDialog({ kind: 'access', connection, access, reason: 'rotated' })
          }
        />
      )}
      {dialog?.kind === 'delete' && <DeleteConnectionModal connection={dialog.connection} onClose={close} />}
      {dialog?.kind === 'deleteCaptured' && (
        <DeleteCapturedModal connection={dialog.connection} onClose={close} />
      )}
      {dialog?.kind === 'test' && <SendTestModal connection={dialog.connection} onClose={close} />}
      {dialog?.kind === 'access' && (
        <AccessDataModal
          connection={dialog.connection}
          access={dialog.access}
          reason={dialog.reason}
          onClose={close}
        />
      )}
      {dialog?.kind === 'setup' && <ShopSetupModal connection={dialog.connection} onClose={close} />}
      {dialog?.kind === 'webhooks' && <WebhooksModal connection={dialog.connection} onClose={close} />}
    </Stack>
  );
}
