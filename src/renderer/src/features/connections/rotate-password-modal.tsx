import { Text } from '@mantine/core';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { useRelaydesk } from '../../store';

interface Props {
  connection: Connection;
  onClose: () => void;
  onRotated: (connection: Connection, access: SmtpAccess) => void;
}

export function RotatePasswordModal({ connection, onClose, onRotated }: Props) {
  const upsertConnection = useRelaydesk((s) => s.upsertConnection);
  return (
    <ConfirmModal
      title={`Rotate the password of ${connection.name}?`}
      confirmLabel="Rotate password"
      color="orange"
      failure={`Could not rotate the password of ${connection.name}`}
      onClose={onClose}
      onConfirm={async () => {
        const result = await api.call('connections.rotatePassword', { id: connection.id });
        upsertConnection(result.connection);
        onRotated(result.connection, result.access);
      }}
    >
      <Text size="sm">
        Relaydesk makes a new password and shows it once. The current password stops working at once: the
        sending system cannot hand in mail until its SMTP settings have the new one.
      </Text>
    </ConfirmModal>
  );
}
