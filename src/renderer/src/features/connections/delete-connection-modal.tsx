import { Text } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

export function DeleteConnectionModal({
  connection,
  onClose,
}: {
  connection: Connection;
  onClose: () => void;
}) {
  const removeConnection = useRelaydesk((s) => s.removeConnection);
  return (
    <ConfirmModal
      title={`Delete the connection "${connection.name}"?`}
      confirmLabel="Delete"
      failure={`Could not delete ${connection.name}`}
      onClose={onClose}
      onConfirm={async () => {
        await api.call('connections.delete', { id: connection.id });
        removeConnection(connection.id);
        notifySuccess(`Deleted ${connection.name}.`);
        onClose();
      }}
    >
      <Text size="sm">
        Its SMTP login (<b>{connection.username}</b>) stops working at once, so the system using it can no
        longer hand in mail. The messages it handed in stay in Relaydesk.
      </Text>
    </ConfirmModal>
  );
}
