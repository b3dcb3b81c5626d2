import type { MethodName } from '@shared/api/contract';
import { api } from '../../api/client';
import { notifyError, notifySuccess } from '../../components/notify';

/** Release asks where to first: messages/release-modal.tsx; Cancel asks first: cancel-delivery-modal.tsx. */
type MessageAction = Extract<MethodName, 'messages.retry' | 'messages.cancel'>;

export const actionDone: Record<MessageAction, (n: number) => string> = {
  'messages.retry': (n) => `Trying ${n} recipient(s) again now.`,
  'messages.cancel': (n) => `Cancelled delivery to ${n} recipient(s).`,
};

/** Retry now for one message; the relay's answer (or refusal) becomes a notification. */
export async function retryMessage(id: string): Promise<void> {
  try {
    const { recipients } = await api.call('messages.retry', { id });
    notifySuccess(actionDone['messages.retry'](recipients));
  } catch (err) {
    notifyError('Not done', err);
  }
}
