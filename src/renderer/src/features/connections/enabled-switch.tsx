import { Switch } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import { useState } from 'react';
import { api } from '../../api/client';
import { notifyError } from '../../components/notify';
import { useRelaydesk } from '../../store';

/** Turns a connection on or off at once; a disabled connection's logins are refused. */
export function EnabledSwitch({ connection }: { connection: Connection }) {
  const upsertConnection = useRelaydesk((s) => s.upsertConnection);
  const [pending, setPending] = useState(false);

  const toggle = async (enabled: boolean) => {
    setPending(true);
    try {
      upsertConnection(await api.call('connections.update', { id: connection.id, enabled }));
    } catch (err) {
      notifyError(`Could not ${enabled ? 'enable' : 'disable'} ${connection.name}`, err);
    } finally {
      setPending(false);
    }
  };

  return (
    <Switch
      checked={connection.enabled}
      disabled={pending}
      onChange={(e) => void toggle(e.currentTarget.checked)}
      aria-label={`${connection.name} enabled`}
    />
  );
}
