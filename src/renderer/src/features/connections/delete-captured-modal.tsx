import { Loader, Text } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifySuccess } from '../../components/notify';

const mails = (n: number) => `${n.toLocaleString()} captured mail${n === 1 ? '' : 's'}`;

/** "Delete all captured" of a sandbox connection, saying first how many mails it deletes. */
export function DeleteCapturedModal({
  connection,
  onClose,
}: {
  connection: Connection;
  onClose: () => void;
}) {
  const [count, setCount] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api.call('messages.countCaptured', { connectionId: connection.id }).then(
      (r) => setCount(r.messages),
      (err: unknown) => setProblem(errorMessage(err)),
    );
  }, [connection.id]);

  return (
    <ConfirmModal
      title={`Delete the captured mail of "${connection.name}"?`}
      confirmLabel={count === null ? 'Delete' : `Delete ${mails(count)}`}
      failure="Could not delete the captured mail"
      onClose={onClose}
      onConfirm={async () => {
        const { deleted } = await api.call('messages.deleteCaptured', { connectionId: connection.id });
        notifySuccess(`Deleted ${mails(deleted)} of ${connection.name}.`);
        // The list drops them when the relay's `captures.deleted` event arrives (every open console).
        onClose();
      }}
    >
      {problem ? (
        <Text size="sm" c="red">
          {problem}
        </Text>
      ) : count === null ? (
        <Loader size="sm" />
      ) : (
        <Text size="sm" data-testid="delete-captured-count">
          {count === 0
            ? `${connection.name} has no captured mail waiting for a release.`
            : `Relaydesk deletes ${mails(count)} of ${connection.name} that were never released, with their stored source. This cannot be undone. Mail already released (and its delivery record) is kept; the statistics keep counting what arrived.`}
        </Text>
      )}
    </ConfirmModal>
  );
}
