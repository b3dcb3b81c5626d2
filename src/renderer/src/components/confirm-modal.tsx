import { Button, Group, Stack } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { AppModal } from './app-modal';
import { notifyError } from './notify';

interface Props {
  title: string;
  children: ReactNode;
  /** The confirm button's name, e.g. "Delete". */
  confirmLabel: string;
  color?: string;
  /** Does the thing; a failure is shown as `failure` with the relay's message, and the dialog stays. */
  onConfirm: () => Promise<void>;
  failure: string;
  onClose: () => void;
}

/** "Are you sure?" for an action that cannot be undone: Cancel, or do it. */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  color = 'red',
  onConfirm,
  failure,
  onClose,
}: Props) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } catch (err) {
      notifyError(failure, err);
      setBusy(false);
    }
  };
  return (
    <AppModal opened onClose={onClose} title={title}>
      <Stack>
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
