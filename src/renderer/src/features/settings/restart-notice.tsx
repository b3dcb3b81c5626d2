import { Alert, List, Text } from '@mantine/core';
import type { SettingEntry } from '@shared/domain/settings';
import { api } from '../../api/client';

/** Saved settings that apply only from the next start, and how to restart where this console runs. */
export function RestartNotice({ entries }: { entries: SettingEntry[] }) {
  const pending = entries.filter((e) => e.pendingRestart);
  if (pending.length === 0) return null;
  return (
    <Alert
      color="orange"
      mb="md"
      title="Restart Relaydesk to use the saved values"
      data-testid="restart-notice"
    >
      <Text size="sm">
        These are saved, but Relaydesk keeps running with the values it started with until it restarts:
      </Text>
      <List size="sm" my={6}>
        {pending.map((e) => (
          <List.Item key={e.key}>
            {e.label}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              ({e.key})
            </Text>
          </List.Item>
        ))}
      </List>
      <Text size="sm">
        {api.transport === 'ipc'
          ? 'Relaydesk cannot restart itself: choose Quit in its tray menu, then open Relaydesk again.'
          : 'Relaydesk cannot restart itself from the console: stop the relaydesk process on the server and start it again (e.g. systemctl restart relaydesk, or Ctrl+C and npm run serve). If the console port changed, open the console at the new port afterwards.'}
      </Text>
    </Alert>
  );
}
