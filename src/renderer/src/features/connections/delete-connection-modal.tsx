import { Button, Group, Text } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import { useState } from 'react';
import { api } from '../../api/client';
import { AppModal } from '../../components/app-modal';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

export function DeleteConnectionModal({
  connection,
  onClose,
}: {
  connection: Connection;
  onClose: () => void;
}) {
  const removeConnection = useRelaydesk((s) => s.removeConnection);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    try {
      await api.call('connections.delete', { id: connection.id });
      removeConnection(connection.id);
      notifySuccess(`Deleted ${connection.name}.`);
      onClose();
    } catch (err) {
      notifyError(`Could not delete ${connection.name}`, err);
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={`Delete the connection "${connection.name}"?`}>
      <Text size="sm">
        Its SMTP login (<b>{connection.username}</b>) stops working at once, so the system using it can no
        longer hand in mail. The messages it handed in stay in Relaydesk.
      </Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={busy} onClick={() => void remove()}>
          Delete
        </Button>
      </Group>
    </AppModal>
  );
}
