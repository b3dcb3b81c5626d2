import { Alert, Button, Group, Stack } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../api/error-message';
import { AppModal } from './app-modal';

interface Props {
  title: string;
  children: ReactNode;
  /** The confirm button's name, e.g. "Delete". */
  confirmLabel: string;
  color?: string;
  /** Does the thing; a failure is shown in the dialog as `failure` with the relay's message, and the dialog stays. */
  onConfirm: () => Promise<void>;
  failure: string;
  onClose: () => void;
  /** The button that closes without doing it; "Cancel" unless that would be confusing (e.g. "Cancel delivery?"). */
  dismissLabel?: string;
}

/**
 * "Are you sure?" for an action that cannot be undone: Cancel, or do it. A refusal (a key still
 * signing waiting mail, …) stays in the dialog where the user is looking, not in a notification
 * that fades, because its message says what to do next.
 */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  color = 'red',
  onConfirm,
  failure,
  onClose,
  dismissLabel = 'Cancel',
}: Props) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await onConfirm();
    } catch (err) {
      setRefusal(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <AppModal opened onClose={onClose} title={title}>
      <Stack>
        {children}
        {refusal && (
          <Alert color="red" title={failure} data-testid="confirm-refusal">
            {refusal}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {dismissLabel}
          </Button>
          <Button color={color} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
