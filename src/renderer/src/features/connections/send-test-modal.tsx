import type { Connection } from '@shared/domain/connection';
import { AppModal } from '../../components/app-modal';
import { SendTestForm } from './send-test-form';

/** "Send test mail" from a connection's row. */
export function SendTestModal({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  return (
    <AppModal opened onClose={onClose} title={`Send a test mail through ${connection.name}`} size="lg">
      <SendTestForm connectionId={connection.id} onSent={onClose} />
    </AppModal>
  );
}
