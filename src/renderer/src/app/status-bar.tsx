import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { type RelayStatus, relayAddress, shortFingerprint } from '@shared/domain/status';
import type { LinkState } from '../api/client';
import { CopyValue } from '../components/copy-value';
import { useRelaydesk } from '../store';

const LINK_LABELS: Record<LinkState, { label: string; color: string }> = {
  live: { label: 'Live', color: 'green' },
  connecting: { label: 'Connecting…', color: 'gray' },
  reconnecting: { label: 'Reconnecting…', color: 'orange' },
  unauthorized: { label: 'Token needed', color: 'red' },
};

export function StatusBar() {
  const relay = useRelaydesk((s) => s.status.relay);
  const link = useRelaydesk((s) => s.status.link);
  const linkLabel = LINK_LABELS[link];
  return (
    <Group h="100%" px="md" gap="lg" wrap="nowrap" justify="space-between" style={{ overflow: 'hidden' }}>
      <Group gap="lg" wrap="nowrap" style={{ overflow: 'hidden' }}>
        {relay ? (
          <>
            <Text size="xs" span style={{ whiteSpace: 'nowrap' }}>
              SMTP relay{' '}
              <Text
                span
                ff="monospace"
                size="xs"
                fw={600}
                data-testid="status-relay"
                title={`Shops connect to ${relay.smtp.publicHost}:${relay.smtp.port} (STARTTLS, AUTH)`}
              >
                {relayAddress(relay.smtp)}
              </Text>
            </Text>
            {/* Secondary in a narrow window: the address and the counts come first. */}
            <Group gap={4} wrap="nowrap" visibleFrom="md">
              <Text size="xs" span style={{ whiteSpace: 'nowrap' }}>
                TLS SHA-256{' '}
                <Text
                  span
                  ff="monospace"
                  size="xs"
                  data-testid="status-fingerprint"
                  title={relay.smtp.tls.fingerprint256}
                >
                  {shortFingerprint(relay.smtp.tls.fingerprint256)}
                </Text>
              </Text>
              <CopyValue value={relay.smtp.tls.fingerprint256} label="TLS fingerprint" />
            </Group>
            <Counts relay={relay} />
          </>
        ) : (
          <Text size="xs" c="dimmed">
            Waiting for the relay…
          </Text>
        )}
      </Group>
      <Tooltip label="Live updates from the relay" withArrow>
        <Badge color={linkLabel.color} variant="dot" size="sm" tt="none" data-testid="link-state">
          {linkLabel.label}
        </Badge>
      </Tooltip>
    </Group>
  );
}

function Counts({ relay }: { relay: RelayStatus }) {
  const { messages, recipients, connections, activeConnections } = relay.counts;
  const { counts, paused } = relay.queue;
  return (
    <Group gap="xs" wrap="nowrap" miw={0}>
      <Text size="xs" span truncate="end" data-testid="status-counts">
        <b>{messages}</b> messages · <b>{counts.queued + counts.sending}</b> queued · <b>{counts.deferred}</b>{' '}
        deferred · <b>{recipients.delivered ?? 0}</b> delivered · <b>{recipients.captured ?? 0}</b> captured ·
        connections <b>{activeConnections}</b> active / <b>{connections}</b>
      </Text>
      {paused.length > 0 && (
        <Badge color="orange" variant="light" size="sm" tt="none" data-testid="status-paused">
          {paused.includes('*') ? 'delivery paused' : `paused: ${paused.join(', ')}`}
        </Badge>
      )}
    </Group>
  );
}
