import { Button, Group, Text } from '@mantine/core';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import { useState } from 'react';
import { api } from '../../api/client';
import { AppModal } from '../../components/app-modal';
import { notifyError } from '../../components/notify';
import { useRelaydesk } from '../../store';

interface Props {
  connection: Connection;
  onClose: () => void;
  onRotated: (connection: Connection, access: SmtpAccess) => void;
}

export function RotatePasswordModal({ connection, onClose, onRotated }: Props) {
  const upsertConnection = useRelaydesk((s) => s.upsertConnection);
  const [busy, setBusy] = useState(false);

  const rotate = async () => {
    setBusy(true);
    try {
      const result = await api.call('connections.rotatePassword', { id: connection.id });
      upsertConnection(result.connection);
      onRotated(result.connection, result.access);
    } catch (err) {
      notifyError(`Could not rotate the password of ${connection.name}`, err);
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={`Rotate the password of ${connection.name}?`}>
      <Text size="sm">
        Relaydesk makes a new password and shows it once. The current password stops working at once: the
        sending system cannot hand in mail until its SMTP settings have the new one.
      </Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="orange" loading={busy} onClick={() => void rotate()}>
          Rotate password
        </Button>
      </Group>
    </AppModal>
  );
}
