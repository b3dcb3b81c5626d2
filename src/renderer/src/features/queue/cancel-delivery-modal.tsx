import { List, Loader, Text } from '@mantine/core';
import { allows } from '@shared/domain/recipient-lifecycle';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifySuccess } from '../../components/notify';
import { actionDone } from './queue-actions';

/**
 * "Cancel delivery?" for one message: names the mail and every waiting recipient that will not
 * get it (read fresh from the relay, since the queue row shows only one of them).
 */
export function CancelDeliveryModal({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const [target, setTarget] = useState<{ subject: string; recipients: string[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api.call('messages.get', { id: messageId }).then(
      (m) =>
        setTarget({
          subject: m.subject,
          recipients: m.recipientStates.filter((r) => allows('cancel', r.status)).map((r) => r.address),
        }),
      (err) => setProblem(errorMessage(err)),
    );
  }, [messageId]);

  const n = target?.recipients.length ?? 0;
  return (
    <ConfirmModal
      title="Cancel delivery of this mail?"
      confirmLabel="Cancel delivery"
      dismissLabel="Keep it"
      failure="Not cancelled"
      onClose={onClose}
      onConfirm={async () => {
        const { recipients } = await api.call('messages.cancel', { id: messageId });
        notifySuccess(actionDone['messages.cancel'](recipients));
        onClose();
      }}
    >
      {problem && <Text size="sm">Could not read the mail: {problem}</Text>}
      {!target && !problem && <Loader size="sm" />}
      {target && (
        <div data-testid="cancel-summary">
          <Text size="sm">
            “{target.subject || '(no subject)'}” ({messageId}) is not sent to{' '}
            {n === 1 ? 'this recipient' : `these ${n} recipients`}; they become cancelled. This cannot be
            undone.
          </Text>
          <List size="sm" mt="xs">
            {target.recipients.map((a) => (
              <List.Item key={a}>{a}</List.Item>
            ))}
          </List>
        </div>
      )}
    </ConfirmModal>
  );
}
