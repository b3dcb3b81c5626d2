import { Alert, Anchor, Button, List, Loader, Text } from '@mantine/core';
import type { SettingEntry } from '@shared/domain/settings';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { consoleOriginAfterRestart } from './restart-origin';
import { waitForNextRun } from './wait-for-next-run';

type Phase = { kind: 'idle' } | { kind: 'restarting' } | { kind: 'moved'; url: string } | { kind: 'late' };

/** Saved settings that apply only from the next start, and the button that restarts Relaydesk. */
export function RestartNotice({ entries }: { entries: SettingEntry[] }) {
  const [confirming, setConfirming] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const pending = entries.filter((e) => e.pendingRestart);
  if (pending.length === 0 && phase.kind === 'idle') return null;

  const restart = async () => {
    const { startedAt } = await api.call('relay.restart', {});
    setConfirming(false);
    const origin = api.transport === 'http' ? consoleOriginAfterRestart(pending, window.location) : null;
    if (origin !== null) {
      setPhase({ kind: 'moved', url: origin && api.consoleUrlAt(origin) });
      return;
    }
    setPhase({ kind: 'restarting' });
    // The desktop app relaunches with a new window; the browser reloads once the next run answers.
    if (api.transport === 'ipc') return;
    if (await waitForNextRun(startedAt)) window.location.reload();
    else setPhase({ kind: 'late' });
  };

  if (phase.kind !== 'idle') return <RestartProgress phase={phase} />;
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
      <Button size="xs" color="orange" onClick={() => setConfirming(true)}>
        Restart now
      </Button>
      {confirming && (
        <ConfirmModal
          title="Restart Relaydesk?"
          confirmLabel="Restart now"
          color="orange"
          failure="Relaydesk did not restart"
          onConfirm={restart}
          onClose={() => setConfirming(false)}
        >
          <Text size="sm">
            Relaydesk closes its listeners and starts again with the saved values; this takes a few seconds. A
            shop sending in that moment gets no answer and sends again later, as mail systems do. Mail already
            accepted stays in the queue and is delivered after the restart.
            {api.transport === 'ipc' && ' The window closes and opens again.'}
          </Text>
          <Text size="sm">
            If a new address or port cannot be used, Relaydesk starts with the previous values and shows the
            problem on the Dashboard.
          </Text>
        </ConfirmModal>
      )}
    </Alert>
  );
}

function RestartProgress({ phase }: { phase: Exclude<Phase, { kind: 'idle' }> }) {
  if (phase.kind === 'moved')
    return (
      <Alert
        color="blue"
        mb="md"
        title="Relaydesk is restarting at a new address"
        data-testid="restart-moved"
      >
        {phase.url ? (
          <Text size="sm">
            The console moves with the saved address. In a few seconds, open it there:{' '}
            <Anchor href={phase.url}>{phase.url.replace(/#.*$/, '')}</Anchor>
          </Text>
        ) : (
          <Text size="sm">
            The console's port is picked at start: open the Console address that Relaydesk prints in its
            terminal when it is back.
          </Text>
        )}
      </Alert>
    );
  if (phase.kind === 'late')
    return (
      <Alert color="red" mb="md" title="Relaydesk has not come back" data-testid="restart-late">
        <Text size="sm">
          It did not answer within a minute of restarting. Look at the terminal or log where Relaydesk runs:
          it names what stopped it. Then start it again.
        </Text>
      </Alert>
    );
  return (
    <Alert
      color="blue"
      mb="md"
      title="Restarting Relaydesk…"
      data-testid="restart-progress"
      icon={<Loader size="xs" />}
    >
      <Text size="sm">The page reloads when Relaydesk is back.</Text>
    </Alert>
  );
}
