import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/error-message';

export function notifyError(title: string, err: unknown): void {
  notifications.show({
    color: 'red',
    title,
    message: typeof err === 'string' ? err : errorMessage(err),
    autoClose: 8000,
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 4000 });
}
